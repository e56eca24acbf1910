// The GeolocationTracker hook: on a click, asks the browser where it is and pushes it to the
// server; the promise pushEvent returns gives handle_event's reply (the nearest city).
export default {
  mounted() {
    const reply = this.el.querySelector(".reply");
    this.el.querySelector(".share").addEventListener("click", () => {
      reply.textContent = "Locating…";
      navigator.geolocation.getCurrentPosition(
        async (position) => {
          const { latitude: lat, longitude: lng } = position.coords;
          const answer = await this.pushEvent("location-updated", { lat, lng });
          reply.textContent = answer.error ?? `Nearest city: ${answer.city} (${answer.km} km)`;
        },
        (error) => {
          reply.textContent = "";
          this.pushEvent("location-error", { message: error.message });
        },
      );
    });
  },
};
