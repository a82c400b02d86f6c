/* Maillage: the device check before a teleconsultation. Camera preview, microphone level
 * (WebAudio analyser), a test tone (WebAudio oscillator, no audio file) and a downlink estimate
 * from a download of random bytes. Nothing leaves the browser but that download. */
(function () {
  "use strict";

  const root = document.getElementById("device-check");
  if (!root) return;
  const strings = JSON.parse(document.getElementById("device-strings").textContent);
  const probeUrl = root.dataset.probeUrl;

  const GOOD_KBPS = 1000;
  const POOR_KBPS = 300;

  const el = {
    start: document.getElementById("start-check"),
    preview: document.getElementById("preview"),
    meter: document.getElementById("mic-level"),
    tone: document.getElementById("play-tone"),
    answer: document.getElementById("speaker-answer"),
    yes: document.getElementById("heard-yes"),
    no: document.getElementById("heard-no"),
    camera: document.getElementById("result-camera"),
    microphone: document.getElementById("result-microphone"),
    speaker: document.getElementById("result-speaker"),
    bandwidth: document.getElementById("result-bandwidth"),
    summary: document.getElementById("check-summary"),
  };

  const results = { camera: null, microphone: null, speaker: null, bandwidth: null };
  let audioContext = null;
  let stream = null;
  let advice = "";

  function t(key, params) {
    let text = strings[key] || key;
    Object.entries(params || {}).forEach(function ([name, value]) {
      text = text.split("%(" + name + ")s").join(String(value));
    });
    return text;
  }

  function report(item, ok, text) {
    item.dataset.state = ok ? "ok" : "problem";
    item.textContent = text;
  }

  function summarise() {
    const done = Object.values(results).filter(function (value) { return value !== null; });
    if (!done.length) return;
    const problems = Object.values(results).some(function (value) { return value === false; });
    const parts = [];
    if (advice) parts.push(advice);
    if (results.camera !== null && results.microphone !== null) {
      parts.push(problems ? t("summary_problem") : t("summary_ok"));
    }
    el.summary.textContent = parts.join(" ");
  }

  function context() {
    if (!audioContext) audioContext = new AudioContext();
    if (audioContext.state === "suspended") audioContext.resume().catch(function () {});
    return audioContext;
  }

  async function checkDevices() {
    el.camera.textContent = t("checking");
    el.microphone.textContent = t("checking");
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    } catch (error) {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch (audioError) {
        stream = null;
      }
    }
    const video = stream ? stream.getVideoTracks()[0] : null;
    const audio = stream ? stream.getAudioTracks()[0] : null;
    if (video) {
      el.preview.srcObject = stream;
      el.preview.play().catch(function () {});
      await new Promise(function (resolve) {
        if (el.preview.videoWidth) resolve();
        el.preview.addEventListener("loadedmetadata", resolve, { once: true });
        window.setTimeout(resolve, 3000);
      });
      const settings = video.getSettings();
      const width = el.preview.videoWidth || settings.width || "?";
      const height = el.preview.videoHeight || settings.height || "?";
      results.camera = video.readyState === "live";
      report(el.camera, results.camera, results.camera ? t("camera_ok", { width: width, height: height }) : t("camera_failed"));
    } else {
      results.camera = false;
      report(el.camera, false, t("camera_failed"));
    }
    if (audio && audio.readyState === "live") {
      results.microphone = true;
      report(el.microphone, true, t("microphone_ok"));
      listen(stream);
    } else {
      results.microphone = false;
      report(el.microphone, false, t("microphone_failed"));
    }
    summarise();
  }

  function listen(source) {
    const audio = context();
    const analyser = audio.createAnalyser();
    analyser.fftSize = 512;
    audio.createMediaStreamSource(source).connect(analyser);
    const samples = new Uint8Array(analyser.fftSize);
    let heard = false;
    function tick() {
      analyser.getByteTimeDomainData(samples);
      let peak = 0;
      for (let i = 0; i < samples.length; i += 1) {
        peak = Math.max(peak, Math.abs(samples[i] - 128));
      }
      const level = Math.min(100, Math.round((peak / 128) * 200));
      el.meter.value = level;
      el.meter.textContent = String(level);
      if (!heard && level > 10) {
        heard = true;
        report(el.microphone, true, t("microphone_heard"));
      }
      if (stream && stream.active) window.requestAnimationFrame(tick);
    }
    tick();
  }

  async function measureBandwidth() {
    report(el.bandwidth, true, t("bandwidth_measuring"));
    el.bandwidth.dataset.state = "pending";
    try {
      let bits = 0;
      let seconds = 0;
      for (let round = 0; round < 3; round += 1) {
        const started = performance.now();
        const response = await fetch(probeUrl + "?taille=200&n=" + Date.now() + round, {
          cache: "no-store",
          credentials: "same-origin",
        });
        if (!response.ok) throw new Error(String(response.status));
        const body = await response.arrayBuffer();
        seconds += (performance.now() - started) / 1000;
        bits += body.byteLength * 8;
      }
      const kbps = Math.round(bits / Math.max(seconds, 0.001) / 1000);
      results.bandwidth = kbps >= POOR_KBPS;
      if (kbps >= GOOD_KBPS) advice = t("advice_good");
      else if (kbps >= POOR_KBPS) advice = t("advice_fair");
      else advice = t("advice_poor");
      report(el.bandwidth, results.bandwidth, t("bandwidth_result", { kbps: kbps.toLocaleString("fr-FR") }));
    } catch (error) {
      results.bandwidth = false;
      report(el.bandwidth, false, t("bandwidth_failed"));
    }
    summarise();
  }

  function playTone() {
    const audio = context();
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = "sine";
    oscillator.frequency.value = 440;
    gain.gain.setValueAtTime(0.2, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 1.2);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start();
    oscillator.stop(audio.currentTime + 1.2);
    el.speaker.dataset.state = "pending";
    el.speaker.textContent = t("speaker_question");
    el.answer.hidden = false;
    el.yes.focus();
  }

  function answer(heard) {
    results.speaker = heard;
    report(el.speaker, heard, t(heard ? "speaker_ok" : "speaker_failed"));
    el.answer.hidden = true;
    el.tone.focus();
    summarise();
  }

  el.start.addEventListener("click", function () {
    el.start.disabled = true;
    context();
    Promise.all([checkDevices(), measureBandwidth()]).finally(function () {
      el.start.disabled = false;
    });
  });
  el.tone.addEventListener("click", playTone);
  el.yes.addEventListener("click", function () { answer(true); });
  el.no.addEventListener("click", function () { answer(false); });
})();
