"""Component events with a payload: ``phx-value-*`` attributes become the
params of the component's ``handle_event`` (kebab-case keys, string values).

Each todo item toggles or deletes itself and tells the parent, which owns the list. A product card
sends ``phx-value-product-id`` and ``phx-value-quantity``: they arrive as
``{"product-id": "1", "quantity": "1"}`` and are converted to ints before the parent is told.
"""

from dataclasses import dataclass, replace

from pylive import LiveComponent, LiveView, live_component
from pylive.html import button, div, h3, input, li, p, span, ul


@dataclass(frozen=True)
class Todo:
    id: int
    title: str
    completed: bool = False


@dataclass(frozen=True)
class Product:
    id: int
    name: str
    price: str


PRODUCTS = [Product(1, "Keyboard", "49.00"), Product(2, "Mouse", "19.00")]


class TodoItemComponent(LiveComponent):
    def handle_event(self, event, params, socket):
        todo = socket.assigns.todo  # the state is in the component: no phx-value needed
        if event == "toggle":
            socket.send_parent(("todo_updated", replace(todo, completed=not todo.completed)))
        elif event == "delete":
            socket.send_parent(("todo_deleted", todo.id))

    def render(self, assigns):
        todo = assigns.todo
        return li(
            input(
                type="checkbox",
                checked=todo.completed,
                phx_click="toggle",
                phx_target=assigns.myself,
                aria_label=f"toggle {todo.title}",
            ),
            span(todo.title, class_={"completed": todo.completed}),
            button("Delete", phx_click="delete", phx_target=assigns.myself),
            id=assigns.id,
            class_="todo-item",
        )


class ProductCardComponent(LiveComponent):
    def handle_event(self, event, params, socket):
        if event == "add_to_cart":
            product_id = int(params["product-id"])  # phx-value-* values are strings
            quantity = int(params["quantity"])
            socket.send_parent(("add_to_cart", product_id, quantity))

    def render(self, assigns):
        product = assigns.product
        return div(
            h3(product.name),
            p(f"${product.price}"),
            button(
                "Add to Cart",
                phx_click="add_to_cart",
                phx_value_product_id=product.id,
                phx_value_quantity="1",
                phx_target=assigns.myself,
            ),
            id=assigns.id,
            class_="product-card",
        )


class ShopPage(LiveView):
    def mount(self, params, session, socket):
        todos = [Todo(1, "Write the spec"), Todo(2, "Port the example"), Todo(3, "Test it")]
        socket.assign(todos=todos, cart={})

    def handle_info(self, msg, socket):
        match msg:
            case ("todo_updated", todo):
                socket.assign(todos=[todo if t.id == todo.id else t for t in socket.assigns.todos])
            case ("todo_deleted", todo_id):
                socket.assign(todos=[t for t in socket.assigns.todos if t.id != todo_id])
            case ("add_to_cart", product_id, quantity):
                cart = dict(socket.assigns.cart)
                cart[product_id] = cart.get(product_id, 0) + quantity
                socket.assign(cart=cart)

    def render(self, assigns):
        names = {product.id: product.name for product in PRODUCTS}
        cart = ", ".join(f"{names[pid]} × {qty}" for pid, qty in assigns.cart.items())
        done = sum(todo.completed for todo in assigns.todos)
        return div(
            ul(
                *[
                    live_component(TodoItemComponent, id=f"todo-{t.id}", todo=t)
                    for t in assigns.todos
                ],
                class_="todos",
            ),
            p(f"{done} of {len(assigns.todos)} done", id="todo-summary"),
            div(
                *[
                    live_component(
                        ProductCardComponent, id=f"product-{product.id}", product=product
                    )
                    for product in PRODUCTS
                ],
                class_="products",
            ),
            p(f"Cart: {cart or 'empty'}", id="cart"),
            class_="demo shop",
        )
