"""pylive: Phoenix LiveView's model, done the Python way.

>>> from pylive import App, LiveView
>>> from pylive.html import p
>>> class Hello(LiveView):
...     def render(self, assigns):
...         return p("Hello!")
>>> app = App(secret_key="a secret of at least 16 characters")
>>> app.live("/", Hello)
"""

from __future__ import annotations

from pylive._callbacks import in_thread as in_thread
from pylive.app import App as App
from pylive.app import Limits as Limits
from pylive.assigns import Assigns as Assigns
from pylive.async_result import AsyncResult as AsyncResult
from pylive.async_result import async_result as async_result
from pylive.client_hooks import Hook as Hook
from pylive.component import component as component
from pylive.diff import diff as diff
from pylive.form_fields import Field as Field
from pylive.form_fields import Form as Form
from pylive.form_fields import to_form as to_form
from pylive.inputs import input_field as input_field
from pylive.inputs import live_file_input as live_file_input
from pylive.inputs import live_img_preview as live_img_preview
from pylive.inputs import simple_form as simple_form
from pylive.js import JS as JS
from pylive.links import link as link
from pylive.live_component import ComponentSocket as ComponentSocket
from pylive.live_component import LiveComponent as LiveComponent
from pylive.live_component import live_component as live_component
from pylive.node import Element as Element
from pylive.node import fragment as fragment
from pylive.render import render_html as render_html
from pylive.socket import Socket as Socket
from pylive.upload_entries import UploadConfig as UploadConfig
from pylive.upload_entries import UploadEntry as UploadEntry
from pylive.uploads import consume_uploaded_entries as consume_uploaded_entries
from pylive.uploads import consume_uploaded_entry as consume_uploaded_entry
from pylive.uploads import upload_errors as upload_errors
from pylive.uploads import uploaded_entries as uploaded_entries
from pylive.validation import errors_from_function as errors_from_function
from pylive.validation import errors_from_pydantic as errors_from_pydantic
from pylive.version import __version__ as __version__
from pylive.view import LiveView as LiveView

__all__ = [
    "App",
    "Assigns",
    "AsyncResult",
    "ComponentSocket",
    "Element",
    "Field",
    "Form",
    "Hook",
    "JS",
    "LiveView",
    "Limits",
    "LiveComponent",
    "Socket",
    "UploadConfig",
    "UploadEntry",
    "async_result",
    "component",
    "consume_uploaded_entries",
    "consume_uploaded_entry",
    "diff",
    "errors_from_function",
    "errors_from_pydantic",
    "fragment",
    "in_thread",
    "input_field",
    "link",
    "live_component",
    "live_file_input",
    "live_img_preview",
    "render_html",
    "simple_form",
    "to_form",
    "upload_errors",
    "uploaded_entries",
]
