"""pushEvent with a reply: a hook sends what only the browser knows — here, where you are — to
the server's ``handle_event``, and the dict that ``handle_event`` returns comes back as the reply.

The ``GeolocationTracker`` hook asks ``navigator.geolocation`` when you press its button and pushes
``location-updated`` with the coordinates (or ``location-error`` with the browser's message, which
becomes a flash). The server stores the location, re-renders, and replies with the nearest city it
knows, which the hook writes next to its button.

Try this: press "Share my location" and allow it; the coordinates come from the server's render,
the nearest city from the reply. Refuse, and the error comes back as a flash message.
"""

from math import asin, cos, radians, sin, sqrt
from pathlib import Path

from pylive import Hook, LiveView
from pylive.html import button, div, p, span

GEOLOCATION = Hook("GeolocationTracker", js=Path(__file__).with_name("hook_geolocation.js"))

CITIES = {
    "Lisbon": (38.7223, -9.1393),
    "London": (51.5072, -0.1276),
    "Nairobi": (-1.2921, 36.8219),
    "New York": (40.7128, -74.0060),
    "São Paulo": (-23.5558, -46.6396),
    "Tokyo": (35.6762, 139.6503),
}


def distance_km(a, b):
    """The great-circle distance between two (latitude, longitude) points."""
    (lat1, lng1), (lat2, lng2) = (map(radians, a), map(radians, b))
    h = sin((lat2 - lat1) / 2) ** 2 + cos(lat1) * cos(lat2) * sin((lng2 - lng1) / 2) ** 2
    return 2 * 6371 * asin(sqrt(h))


class MapPage(LiveView):
    hooks = (GEOLOCATION,)

    def mount(self, params, session, socket):
        socket.assign(location=None)

    def render(self, assigns):
        location = assigns.location
        return div(
            div(
                button("Share my location", class_="share"),
                span(class_="reply"),
                id="geo-tracker",
                phx_hook=GEOLOCATION,
                phx_update="ignore",
            ),
            div(
                p(f"Latitude: {location['lat']:.4f}", id="latitude"),
                p(f"Longitude: {location['lng']:.4f}", id="longitude"),
                id="location",
            )
            if location
            else p("No location yet.", id="location"),
            class_="demo hooks-push-event",
        )

    def handle_event(self, event, params, socket):
        if event == "location-updated":
            lat, lng = float(params["lat"]), float(params["lng"])
            if not (-90 <= lat <= 90 and -180 <= lng <= 180):
                return {"error": "coordinates out of range"}
            socket.assign(location={"lat": lat, "lng": lng})
            city, km = min(
                ((name, distance_km((lat, lng), at)) for name, at in CITIES.items()),
                key=lambda pair: pair[1],
            )
            return {"city": city, "km": round(km)}
        if event == "location-error":
            socket.put_flash("error", f"Location error: {params.get('message', 'unknown')}")
        return None
