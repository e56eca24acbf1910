"""Sessions: log in, a protected dashboard, log out everywhere. The log-in form is a live view
that checks the password as you submit, then posts itself for real (``phx_trigger_action``) to a
plain HTTP handler: it stores a random session token in SQLite and in the signed session cookie
(``request.session["user_token"]``), with a ``live_socket_id`` naming that session. The
dashboard sits in a live session whose ``on_mount`` hook looks the token up on every mount, on
the HTTP render and the live one, and halts with a redirect when it finds none. Logging out
deletes the token, clears the cookie and calls ``app.disconnect_sessions(...)``: every open tab
of that session loads its page again and meets the log-in page.

Try this: log in as ann@example.com with "correct horse battery", open the dashboard in a
second tab, log out in the first: the second tab goes to the log-in page within a second.
"""

import hashlib
import secrets
import sqlite3

from pylive import LiveView, input_field, to_form
from pylive.html import button, div, form, h3, li, p, ul
from pylive.http import redirect

LOGIN_PATH = "/auth/login"
DASHBOARD_PATH = "/auth/dashboard"
SALT = b"pylive-gallery"

db = sqlite3.connect(":memory:", check_same_thread=False)
db.executescript(
    """
    create table users (id integer primary key, email text unique, password_hash text);
    create table users_tokens (token text primary key, user_id integer, context text);
    create table notes (user_id integer, body text);
    """
)


def hash_password(password):
    return hashlib.pbkdf2_hmac("sha256", password.encode(), SALT, 100_000).hex()


def add_user(email, password, notes):
    cursor = db.execute(
        "insert into users (email, password_hash) values (?, ?)", (email, hash_password(password))
    )
    db.executemany("insert into notes values (?, ?)", [(cursor.lastrowid, note) for note in notes])


add_user("ann@example.com", "correct horse battery", ["Quarterly report", "Call Bo"])


def authenticate(email, password):
    row = db.execute("select id, password_hash from users where email = ?", (email,)).fetchone()
    if row is None or not secrets.compare_digest(row[1], hash_password(password)):
        return None
    return row[0]


def build_session_token(user_id):
    token = secrets.token_urlsafe(32)
    db.execute("insert into users_tokens values (?, ?, 'session')", (token, user_id))
    return token


def user_by_session_token(token):
    return db.execute(
        "select users.id, users.email from users_tokens join users on users.id = user_id "
        "where token = ? and context = 'session'",
        (token,),
    ).fetchone()


def live_socket_id(token):
    return f"users_sessions:{token}"


# -- the HTTP handlers -------------------------------------------------------------------------


def log_in(request):
    user = request.form.get("user", {})
    user_id = authenticate(user.get("email", ""), user.get("password", ""))
    if user_id is None:
        request.put_flash("error", "Invalid email or password")
        return redirect(LOGIN_PATH)
    token = build_session_token(user_id)
    request.clear_session()  # a fresh session on log in
    request.session["user_token"] = token
    request.session["live_socket_id"] = live_socket_id(token)
    request.put_flash("info", "Logged in successfully")
    return redirect(DASHBOARD_PATH)


def log_out(request):
    token = request.session.get("user_token")
    if token:
        db.execute("delete from users_tokens where token = ?", (token,))
        request.app.disconnect_sessions(live_socket_id(token))
    request.clear_session()
    request.put_flash("info", "Logged out successfully")
    return redirect(LOGIN_PATH)


# -- the live session's check ------------------------------------------------------------------


def ensure_authenticated(params, session, socket):
    token = session.get("user_token")
    user = user_by_session_token(token) if token else None
    if user is None:
        socket.put_flash("error", "You must log in")
        socket.redirect(LOGIN_PATH)
        return "halt"
    socket.assign(current_user=user[1], user_id=user[0])
    return "cont"


# -- the views ---------------------------------------------------------------------------------


class LogInPage(LiveView):
    def mount(self, params, session, socket):
        socket.assign(form=to_form({}, as_="user"), trigger_submit=False)

    def handle_event(self, event, params, socket):
        user = params.get("user", {})
        if event == "log_in":
            if authenticate(user.get("email", ""), user.get("password", "")) is None:
                socket.put_flash("error", "Invalid email or password")
                user = {"email": user.get("email", "")}
            else:
                socket.assign(trigger_submit=True)  # the browser posts the form for real
            socket.assign(form=to_form(user, as_="user"))

    def render(self, assigns):
        f = assigns.form
        return div(
            form(
                input_field(f["email"], type="email", label="Email", required=True),
                input_field(f["password"], type="password", label="Password", required=True),
                button("Log in", type="submit", phx_disable_with="Logging in…", id="log-in"),
                id="login-form",
                action="/auth/log_in",
                method="post",
                phx_submit="log_in",
                phx_trigger_action=assigns.trigger_submit,
            ),
            class_="demo auth-login",
        )


class DashboardPage(LiveView):
    def mount(self, params, session, socket):
        notes = db.execute(
            "select body from notes where user_id = ?", (socket.assigns.user_id,)
        ).fetchall()
        socket.assign(notes=[body for (body,) in notes], trigger_logout=False)

    def handle_event(self, event, params, socket):
        if event == "log_out":
            socket.assign(trigger_logout=True)

    def render(self, assigns):
        return div(
            p(f"Signed in as {assigns.current_user}", id="signed-in"),
            h3("Your notes"),
            ul([li(note) for note in assigns.notes], id="notes"),
            form(
                button("Log out", type="submit", id="log-out"),
                id="logout-form",
                action="/auth/log_out",
                method="post",
                phx_submit="log_out",
                phx_trigger_action=assigns.trigger_logout,
            ),
            class_="demo auth-dashboard",
        )
