// The ToastNotifier hook, registered the LiveView way: in the browser, on window.pylive.hooks.
// It shows each "show-toast" event the server pushes. Text goes in with textContent, never as
// HTML: a payload is data, not markup.
window.pylive.hooks.ToastNotifier = {
  mounted() {
    this.handleEvent("show-toast", ({ title, message, type }) => {
      const toast = document.createElement("div");
      toast.className = `toast toast-${type}`;
      toast.setAttribute("role", "status");
      const heading = document.createElement("strong");
      heading.textContent = title;
      const text = document.createElement("p");
      text.textContent = message;
      toast.append(heading, text);
      this.el.append(toast);
      setTimeout(() => toast.remove(), 5000);
    });
  },
};
