"""Navigation: filters and sort in the URL. The category and the sort order live in the page's
URL, not only in the view: ``handle_params`` reads them after ``mount`` and on every URL change.
The category buttons call ``socket.push_patch(...)`` from ``handle_event``; the sort links are
``link(patch=...)``. Either way the view stays mounted (the "Picked" counter keeps its count),
only ``handle_params`` runs, and the browser's history gets an entry: back and forward step
through the filters you chose, with no page load.

Try this: pick "Books", sort by price, press "Pick" twice, then use the browser's back button:
the filters go back, the count stays. Copy the URL into a new tab: the same list opens.
"""

from pylive import LiveView, link
from pylive.html import button, div, li, nav, p, span, ul

PATH = "/nav/products"
PRODUCTS = [
    ("Laptop", "electronics", 1299),
    ("Headphones", "electronics", 199),
    ("Phone", "electronics", 899),
    ("Dune", "books", 18),
    ("SICP", "books", 55),
    ("The Hobbit", "books", 12),
    ("Desk lamp", "home", 45),
    ("Kettle", "home", 30),
]
CATEGORIES = ["all", "electronics", "books", "home"]
SORTS = {"name": lambda item: item[0], "price": lambda item: item[2]}


def list_products(category, sort_by):
    chosen = [item for item in PRODUCTS if category in ("all", item[1])]
    return sorted(chosen, key=SORTS.get(sort_by, SORTS["name"]))


def products_path(category, sort):
    return f"{PATH}?category={category}&sort={sort}"


class ProductsPage(LiveView):
    def mount(self, params, session, socket):
        socket.assign(picked=0)

    def handle_params(self, params, uri, socket):
        category = params.get("category", "all")
        sort = params.get("sort", "name")
        socket.assign(
            category=category if category in CATEGORIES else "all",
            sort=sort if sort in SORTS else "name",
        )
        socket.assign(products=list_products(socket.assigns.category, socket.assigns.sort))
        socket.assign(page_title=f"Products: {socket.assigns.category}")

    def handle_event(self, event, params, socket):
        if event == "filter":
            category = params.get("category", "all")
            socket.push_patch(products_path(category, socket.assigns.sort))
        elif event == "pick":
            socket.update("picked", lambda n: n + 1)

    def render(self, assigns):
        return div(
            nav(
                [
                    button(
                        name.capitalize(),
                        phx_click="filter",
                        phx_value_category=name,
                        aria_pressed="true" if name == assigns.category else "false",
                        id=f"filter-{name}",
                    )
                    for name in CATEGORIES
                ],
                class_="filters",
            ),
            p(
                "Sort by ",
                [
                    link(
                        key,
                        patch=products_path(assigns.category, key),
                        class_="active" if key == assigns.sort else None,
                        id=f"sort-{key}",
                    )
                    for key in SORTS
                ],
                class_="sorts",
            ),
            ul(
                [li(span(name), f" ${price}", key=name) for name, _, price in assigns.products],
                id="products",
            ),
            p(
                button("Pick", phx_click="pick", id="pick"),
                f" Picked: {assigns.picked}",
                id="picked",
            ),
            class_="demo nav-products",
        )
