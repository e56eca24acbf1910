// The LocalTime hook: asks the server for the time every second and shows it in the browser's
// own time zone and format. `pushEvent` without a callback returns a promise of the reply.
export default {
  mounted() {
    const show = async () => {
      const { timestamp } = await this.pushEvent("get-current-time", {});
      this.el.textContent = new Date(timestamp).toLocaleString();
      this.el.dataset.timestamp = timestamp;
    };
    show().catch(() => {});
    this.timer = setInterval(() => show().catch(() => {}), 1000);
  },
  destroyed() {
    clearInterval(this.timer); // removed from the page: stop asking
  },
};
