// The Logged hook: writes each callback it gets, with the id its element had when it mounted,
// to the #hook-log list (which the server leaves alone: phx-update="ignore").
function log(hook, callback) {
  const line = document.createElement("li");
  line.textContent = `${callback} ${hook.id}`;
  document.getElementById("hook-log")?.append(line);
}

export default {
  mounted() {
    this.id = this.el.id;
    log(this, "mounted");
  },
  beforeUpdate() {
    log(this, "beforeUpdate");
  },
  updated() {
    log(this, "updated");
  },
  destroyed() {
    log(this, "destroyed");
  },
  disconnected() {
    log(this, "disconnected");
  },
  reconnected() {
    log(this, "reconnected");
  },
};
