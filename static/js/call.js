/* Maillage: the video teleconsultation (J3).
 *
 * Media go peer to peer (one RTCPeerConnection per remote participant, "perfect negotiation":
 * the peer with the smaller id is the polite one). The page's websocket only carries signalling,
 * presence, chat and the call log. Built for weak links: audio only on demand or when getStats()
 * shows a poor link, ICE restart on network change, automatic reconnection of the socket.
 */
(function () {
  "use strict";

  const root = document.getElementById("call");
  if (!root || !("RTCPeerConnection" in window)) return;

  const strings = JSON.parse(document.getElementById("call-strings").textContent);
  const iceServers = JSON.parse(document.getElementById("call-ice-servers").textContent);
  const config = {
    socketPath: root.dataset.socket,
    role: root.dataset.role,
    startsAt: new Date(root.dataset.startsAt),
    uploadUrl: root.dataset.uploadUrl,
    leaveUrl: root.dataset.leaveUrl,
  };

  const MAX_REMOTE_PEERS = 4;
  const STATS_EVERY_MS = 2000;
  const POOR_SAMPLES_BEFORE_AUDIO_ONLY = 3;
  const POOR_OUTGOING_BITRATE = 150000; // bit/s
  const POOR_ROUND_TRIP = 1; // s
  const POOR_LOSS = 0.1;
  const PING_EVERY_MS = 20000;
  const RECONNECT_MAX_MS = 10000;

  const el = {
    status: document.getElementById("call-status"),
    waiting: document.getElementById("waiting-text"),
    notice: document.getElementById("media-notice"),
    local: document.getElementById("local-video"),
    remotes: document.getElementById("remote-videos"),
    tile: document.getElementById("remote-tile"),
    mic: document.getElementById("toggle-mic"),
    audioOnly: document.getElementById("toggle-audio-only"),
    leave: document.getElementById("leave-call"),
    participants: document.getElementById("participants"),
    chatLog: document.getElementById("chat-log"),
    chatForm: document.getElementById("chat-form"),
    chatBody: document.getElementById("chat-body"),
    fileForm: document.getElementById("file-form"),
    fileError: document.getElementById("file-error"),
    delayForm: document.getElementById("delay-form"),
  };

  const state = {
    socket: null,
    myId: null,
    rejoin: false,
    leaving: false,
    closedForGood: false,
    reconnectDelay: 1000,
    outbox: [],
    localStream: null,
    audioTrack: null,
    videoTrack: null,
    audioOnly: false,
    cameraMissing: false,
    micMuted: false,
    poorSamples: 0,
    room: { doctor_present: false, announced_delay: 0 },
    peers: new Map(), // peer id -> peer record (see addPeer)
    shownLines: new Set(),
  };
  const pcs = new Map(); // peer id -> RTCPeerConnection, for the test hook

  function t(key, params) {
    let text = strings[key] || key;
    Object.entries(params || {}).forEach(function ([name, value]) {
      text = text.split("%(" + name + ")s").join(String(value));
    });
    return text;
  }

  function setStatus(text) {
    el.status.textContent = text;
  }

  function showNotice(text) {
    el.notice.textContent = text;
    el.notice.hidden = !text;
  }

  function roleLabel(role) {
    return strings["role_" + role] || "";
  }

  function clock(date) {
    return date.toLocaleTimeString(document.documentElement.lang || "fr", {
      hour: "2-digit",
      minute: "2-digit",
    });
  }

  /* --- signalling socket ------------------------------------------------------------------ */

  function send(message) {
    const socket = state.socket;
    if (socket && socket.readyState === WebSocket.OPEN && state.myId) {
      socket.send(JSON.stringify(message));
      return true;
    }
    if (message.type !== "signal") state.outbox.push(message); // signals die with their peer ids
    return false;
  }

  function connect() {
    if (state.closedForGood) return;
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    const query = state.rejoin ? "?reprise=1" : "";
    const socket = new WebSocket(scheme + window.location.host + config.socketPath + query);
    state.socket = socket;
    socket.addEventListener("message", function (event) {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      if (message && typeof message.type === "string") handle(message);
    });
    socket.addEventListener("close", function (event) {
      if (state.socket !== socket) return;
      state.socket = null;
      state.myId = null;
      if (state.leaving) return;
      if (event.code === 4403 || event.code === 4401 || event.code === 4409) {
        state.closedForGood = true;
        closeAllPeers();
        setStatus(t(event.code === 4409 ? "replaced" : "refused"));
        return;
      }
      state.rejoin = true;
      const delay = state.reconnectDelay;
      state.reconnectDelay = Math.min(delay * 2, RECONNECT_MAX_MS);
      setStatus(t("reconnecting", { seconds: Math.round(delay / 1000) }));
      window.setTimeout(connect, delay);
    });
  }

  function reconnectNow() {
    if (state.socket || state.closedForGood || state.leaving) return;
    state.reconnectDelay = 1000;
    connect();
  }

  function handle(message) {
    switch (message.type) {
      case "welcome":
        onWelcome(message);
        break;
      case "peer-joined":
        addPeer(message, true);
        break;
      case "peer-left":
        removePeer(message.peer, message.reason);
        break;
      case "signal":
        onSignal(message.from, message.data);
        break;
      case "chat":
        appendChat(message);
        break;
      case "file":
        appendFile(message);
        break;
      case "media":
        onRemoteMedia(message.from, message.mode);
        break;
      case "room":
        state.room = { doctor_present: message.doctor_present, announced_delay: message.announced_delay };
        updateWaiting();
        break;
      case "error":
        if (message.message) setStatus(message.message);
        else console.warn("call: server refused a message", message.error, message.detail || "");
        break;
      default:
        break;
    }
  }

  function onWelcome(message) {
    // A new socket is a new identity: the peers dropped our old connections already.
    closeAllPeers();
    state.myId = message.peer;
    state.reconnectDelay = 1000;
    state.room = message.room;
    if (message.room && message.room.starts_at) config.startsAt = new Date(message.room.starts_at);
    message.peers.forEach(function (info) {
      addPeer(info, false);
    });
    const queued = state.outbox;
    state.outbox = [];
    queued.forEach(send);
    if (state.audioOnly && !state.cameraMissing) {
      send({ type: "media", mode: "audio-only", reason: state.audioOnlyReason || "manual" });
    }
    setStatus(state.peers.size ? t("connected") : t("alone"));
    updateWaiting();
    renderParticipants();
  }

  /* --- local media ------------------------------------------------------------------------ */

  async function startMedia() {
    const video = { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 24 } };
    try {
      state.localStream = await navigator.mediaDevices.getUserMedia({ audio: true, video: video });
    } catch (cameraError) {
      try {
        state.localStream = await navigator.mediaDevices.getUserMedia({ audio: true });
        state.cameraMissing = true;
        showNotice(t("camera_failed"));
        send({ type: "incident", kind: "media-error", detail: "camera " + cameraError.name });
      } catch (microphoneError) {
        state.localStream = new MediaStream();
        state.cameraMissing = true;
        showNotice(t("media_failed"));
        send({ type: "incident", kind: "media-error", detail: "micro " + microphoneError.name });
      }
    }
    state.audioTrack = state.localStream.getAudioTracks()[0] || null;
    state.videoTrack = state.localStream.getVideoTracks()[0] || null;
    if (state.cameraMissing) {
      state.audioOnly = true;
      el.audioOnly.setAttribute("aria-pressed", "true");
      el.audioOnly.disabled = true;
    }
    if (!state.audioTrack) el.mic.disabled = true;
    el.local.srcObject = state.localStream;
    el.local.play().catch(function () {});
  }

  /* --- peers ------------------------------------------------------------------------------ */

  function addPeer(info, announce) {
    const existing = state.peers.get(info.peer);
    if (existing) {
      if (info.role) existing.role = info.role;
      if (info.name) existing.name = info.name;
      if (info.since) existing.since = info.since;
      labelTile(existing);
      renderParticipants();
      return existing;
    }
    if (!state.myId || info.peer === state.myId) return null;
    const peer = {
      id: info.peer,
      role: info.role || "",
      name: info.name || "",
      since: info.since || null,
      polite: state.myId < info.peer,
      makingOffer: false,
      ignoreOffer: false,
      queue: Promise.resolve(),
      connectedOnce: false,
      restarting: false,
      audioOnly: false,
      stream: new MediaStream(),
      tile: null,
      pc: null,
      videoSender: null,
      lastInbound: { lost: 0, received: 0 },
    };
    const shown = Array.from(state.peers.values()).filter(function (other) { return other.tile; });
    state.peers.set(peer.id, peer);
    if (shown.length >= MAX_REMOTE_PEERS) {
      showNotice(t("too_many_peers", { name: peer.name }));
      renderParticipants();
      return peer;
    }
    createTile(peer);
    // The impolite side (larger id) offers; the polite side answers when the offer comes. Two
    // simultaneous first offers would work with perfect negotiation, but Chromium may then
    // stop trickling the polite side's candidates after the implicit rollback.
    if (!peer.polite) createConnection(peer);
    if (announce && peer.name) setStatus(t("peer_joined", { name: peer.name }));
    else setStatus(t("connected"));
    renderParticipants();
    return peer;
  }

  function createConnection(peer) {
    const pc = new RTCPeerConnection({ iceServers: iceServers });
    peer.pc = pc;
    pcs.set(peer.id, pc);
    if (state.audioTrack) pc.addTrack(state.audioTrack, state.localStream);
    else pc.addTransceiver("audio", { direction: "recvonly" });
    if (state.videoTrack) {
      peer.videoSender = pc.addTrack(state.videoTrack, state.localStream);
      if (state.audioOnly) peer.videoSender.replaceTrack(null).catch(function () {});
    } else {
      pc.addTransceiver("video", { direction: "recvonly" });
    }

    pc.addEventListener("track", function (event) {
      if (!peer.stream.getTracks().includes(event.track)) peer.stream.addTrack(event.track);
      const video = peer.tile && peer.tile.querySelector("video");
      if (video && video.srcObject !== peer.stream) video.srcObject = peer.stream;
      if (video) playWithSound(video, peer);
    });
    pc.addEventListener("icecandidate", function (event) {
      if (event.candidate) sendSignal(peer.id, { candidate: event.candidate.toJSON() });
    });
    pc.addEventListener("negotiationneeded", async function () {
      try {
        peer.makingOffer = true;
        await pc.setLocalDescription();
        sendSignal(peer.id, { description: pc.localDescription.toJSON() });
      } catch (error) {
        console.warn("negotiation failed", error);
      } finally {
        peer.makingOffer = false;
      }
    });
    pc.addEventListener("connectionstatechange", function () {
      const connection = pc.connectionState;
      if (connection === "connected") {
        peer.restarting = false;
        if (!peer.connectedOnce) {
          peer.connectedOnce = true;
          send({ type: "state", connection: "connected" });
        }
        setStatus(t("connected"));
      } else if ((connection === "disconnected" || connection === "failed") && !peer.restarting) {
        peer.restarting = true;
        // Both ends see the failure: the impolite one restarts, so that offers do not cross.
        if (!peer.polite) {
          pc.restartIce();
          send({ type: "incident", kind: "ice-restart", detail: connection });
        }
      }
      labelTile(peer);
    });
  }

  function sendSignal(to, data) {
    send({ type: "signal", to: to, data: data });
  }

  function onSignal(from, data) {
    let peer = state.peers.get(from);
    if (!peer) peer = addPeer({ peer: from }, false);
    if (!peer || !peer.tile) return;
    if (!peer.pc) createConnection(peer);
    // One message at a time per peer: a candidate must not overtake its description.
    peer.queue = peer.queue.then(function () {
      return applySignal(peer, data);
    }).catch(function (error) {
      console.warn("signal failed", error);
    });
  }

  async function applySignal(peer, data) {
    const pc = peer.pc;
    if (!pc || pc.signalingState === "closed") return;
    if (data.description) {
      const description = data.description;
      const collision =
        description.type === "offer" && (peer.makingOffer || pc.signalingState !== "stable");
      peer.ignoreOffer = !peer.polite && collision;
      if (peer.ignoreOffer) return;
      await pc.setRemoteDescription(description);
      if (description.type === "offer") {
        await pc.setLocalDescription();
        sendSignal(peer.id, { description: pc.localDescription.toJSON() });
      }
    } else if (data.candidate) {
      try {
        await pc.addIceCandidate(data.candidate);
      } catch (error) {
        if (!peer.ignoreOffer) throw error;
      }
    }
  }

  function removePeer(id, reason) {
    const peer = state.peers.get(id);
    if (!peer) return;
    state.peers.delete(id);
    closePeer(peer);
    const parts = [];
    if (peer.name) parts.push(t(reason === "dropped" ? "peer_dropped" : "peer_left", { name: peer.name }));
    if (!state.peers.size) parts.push(t("alone"));
    if (parts.length) setStatus(parts.join(" "));
    renderParticipants();
    updateWaiting();
  }

  function closePeer(peer) {
    if (peer.pc) peer.pc.close();
    pcs.delete(peer.id);
    peer.pc = null;
    if (peer.tile) peer.tile.remove();
    peer.tile = null;
  }

  function closeAllPeers() {
    state.peers.forEach(closePeer);
    state.peers.clear();
    renderParticipants();
  }

  /* --- tiles and lists -------------------------------------------------------------------- */

  function createTile(peer) {
    const fragment = el.tile.content.cloneNode(true);
    const tile = fragment.querySelector("figure");
    tile.dataset.peer = peer.id;
    const video = tile.querySelector("video");
    video.setAttribute("aria-label", peer.name || roleLabel(peer.role));
    tile.querySelector(".call-unmute").addEventListener("click", function (event) {
      video.muted = false;
      video.play().catch(function () {});
      event.currentTarget.hidden = true;
    });
    el.remotes.appendChild(tile);
    peer.tile = tile;
    labelTile(peer);
  }

  function playWithSound(video, peer) {
    video.play().catch(function () {
      // Autoplay with sound refused by the browser: play muted, and offer a button.
      video.muted = true;
      video.play().catch(function () {});
      const button = peer.tile && peer.tile.querySelector(".call-unmute");
      if (button) button.hidden = false;
    });
  }

  function labelTile(peer) {
    if (!peer.tile) return;
    peer.tile.querySelector(".call-tile-name").textContent =
      (peer.name || "") + (peer.role ? " (" + roleLabel(peer.role) + ")" : "");
    const connection = peer.pc ? peer.pc.connectionState : "new";
    let label = t("peer_connecting");
    if (connection === "connected") label = t("peer_connected");
    if (connection === "disconnected" || connection === "failed") label = t("peer_reconnecting");
    if (peer.audioOnly) label += " · " + t("peer_audio_only");
    peer.tile.querySelector(".call-tile-state").textContent = "— " + label;
    peer.tile.classList.toggle("call-tile-audio-only", peer.audioOnly);
  }

  function renderParticipants() {
    const items = [];
    const me = document.createElement("li");
    me.textContent = t("you");
    items.push(me);
    state.peers.forEach(function (peer) {
      const item = document.createElement("li");
      let text = (peer.name || "") + (peer.role ? " (" + roleLabel(peer.role) + ")" : "");
      if (peer.role === "patient" && peer.since && config.role === "doctor") {
        text += " — " + t("patient_waiting", { name: peer.name, time: clock(new Date(peer.since)) });
      }
      item.textContent = text;
      items.push(item);
    });
    el.participants.replaceChildren.apply(el.participants, items);
  }

  function updateWaiting() {
    if (!el.waiting || config.role === "doctor") return;
    const doctorHere = state.room.doctor_present ||
      Array.from(state.peers.values()).some(function (peer) { return peer.role === "doctor"; });
    let text;
    if (doctorHere) {
      text = t("doctor_here");
    } else if (state.room.announced_delay > 0) {
      text = t("waiting_announced", { minutes: state.room.announced_delay });
    } else {
      const late = Math.floor((Date.now() - config.startsAt.getTime()) / 60000);
      const time = clock(config.startsAt);
      if (late > 0) text = t("waiting_late", { minutes: late, time: time });
      else if (late === 0) text = t("waiting_on_time");
      else text = t("waiting_before", { time: time });
    }
    if (el.waiting.textContent !== text) el.waiting.textContent = text;
  }

  /* --- chat and files --------------------------------------------------------------------- */

  function chatLine(message) {
    if (state.shownLines.has(message.id)) return null;
    state.shownLines.add(message.id);
    const item = document.createElement("li");
    item.className = "call-chat-line";
    const author = document.createElement("span");
    author.className = "call-chat-author";
    author.textContent = message.name || message.author || "";
    const time = document.createElement("time");
    const at = new Date(message.at);
    time.dateTime = message.at;
    time.textContent = clock(at);
    item.append(author, " ", time, " ");
    return item;
  }

  function appendChat(message) {
    const item = chatLine(message);
    if (!item) return;
    const body = document.createElement("span");
    body.className = "call-chat-body";
    body.textContent = message.body;
    item.append(body);
    el.chatLog.append(item);
  }

  function appendFile(message) {
    if (typeof message.url !== "string" || !message.url.startsWith("/")) return;
    const item = chatLine(message);
    if (!item) return;
    const link = document.createElement("a");
    link.href = message.url;
    link.textContent = message.name;
    item.append(link);
    el.chatLog.append(item);
  }

  el.chatForm.addEventListener("submit", function (event) {
    event.preventDefault();
    const body = el.chatBody.value.trim();
    if (!body) return;
    if (!send({ type: "chat", body: body })) {
      state.outbox.pop(); // a chat line is not replayed minutes later
      setStatus(t("offline"));
      return;
    }
    el.chatBody.value = "";
  });

  el.fileForm.addEventListener("submit", async function (event) {
    event.preventDefault();
    el.fileError.hidden = true;
    const data = new FormData(el.fileForm);
    const token = el.fileForm.querySelector("input[name=csrfmiddlewaretoken]").value;
    try {
      const response = await fetch(config.uploadUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token, Accept: "application/json" },
      });
      const payload = await response.json();
      if (!response.ok) throw new Error(payload.error || t("file_failed"));
      el.fileForm.reset();
      setStatus(t("file_sent"));
      appendFile(payload);
    } catch (error) {
      el.fileError.textContent = error.message || t("file_failed");
      el.fileError.hidden = false;
    }
  });

  if (el.delayForm) {
    el.delayForm.addEventListener("submit", function (event) {
      event.preventDefault();
      const minutes = parseInt(el.delayForm.elements.minutes.value, 10) || 0;
      send({ type: "delay", minutes: minutes });
      setStatus(t("delay_sent", { minutes: minutes }));
    });
  }

  /* --- controls --------------------------------------------------------------------------- */

  async function setAudioOnly(on, reason) {
    if (state.cameraMissing || !state.videoTrack) return;
    if (state.audioOnly === on) return;
    state.audioOnly = on;
    state.audioOnlyReason = reason;
    state.poorSamples = 0;
    state.videoTrack.enabled = !on;
    /* The button says the new mode at once; the senders follow. */
    el.audioOnly.setAttribute("aria-pressed", on ? "true" : "false");
    await Promise.all(
      Array.from(state.peers.values()).map(function (peer) {
        if (!peer.videoSender) return null;
        return peer.videoSender.replaceTrack(on ? null : state.videoTrack).catch(function () {});
      })
    );
    if (on) showNotice(t(reason === "poor-link" ? "audio_only_auto" : "audio_only_on"));
    else showNotice("");
    setStatus(t(on ? "audio_only_on" : "video_back"));
    send({ type: "media", mode: on ? "audio-only" : "video", reason: reason });
  }

  function onRemoteMedia(from, mode) {
    const peer = state.peers.get(from);
    if (!peer) return;
    peer.audioOnly = mode === "audio-only";
    labelTile(peer);
  }

  el.audioOnly.addEventListener("click", function () {
    setAudioOnly(!state.audioOnly, "manual");
  });

  el.mic.addEventListener("click", function () {
    if (!state.audioTrack) return;
    state.micMuted = !state.micMuted;
    state.audioTrack.enabled = !state.micMuted;
    el.mic.setAttribute("aria-pressed", state.micMuted ? "true" : "false");
    setStatus(t(state.micMuted ? "mic_off" : "mic_on"));
  });

  function leave() {
    if (state.leaving) return;
    state.leaving = true;
    send({ type: "leave" });
    closeAllPeers();
    if (state.localStream) state.localStream.getTracks().forEach(function (track) { track.stop(); });
    setStatus(t("left"));
    const socket = state.socket;
    const go = function () { window.location.assign(config.leaveUrl); };
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.addEventListener("close", go);
      window.setTimeout(go, 1500);
    } else {
      go();
    }
  }

  el.leave.addEventListener("click", leave);

  // Closing the tab is a departure, not an incident.
  window.addEventListener("pagehide", function () {
    if (!state.leaving && state.socket && state.socket.readyState === WebSocket.OPEN) {
      state.leaving = true;
      state.socket.send(JSON.stringify({ type: "leave" }));
    }
  });

  /* --- weak links ------------------------------------------------------------------------- */

  function restartAllIce(detail) {
    state.peers.forEach(function (peer) {
      if (peer.pc && peer.pc.signalingState !== "closed") {
        peer.pc.restartIce();
        send({ type: "incident", kind: "ice-restart", detail: detail });
      }
    });
  }

  window.addEventListener("online", function () {
    setStatus(t("network_change"));
    reconnectNow();
    restartAllIce("online");
  });
  if (navigator.connection && navigator.connection.addEventListener) {
    navigator.connection.addEventListener("change", function () {
      setStatus(t("network_change"));
      restartAllIce("network change");
    });
  }

  async function sampleLink(peer) {
    const stats = await peer.pc.getStats();
    const sample = { sendingVideo: false, outgoing: null, roundTrip: null, lost: 0, received: 0 };
    stats.forEach(function (report) {
      if (report.type === "outbound-rtp" && report.kind === "video" && report.bytesSent > 0) {
        sample.sendingVideo = true;
      }
      if (report.type === "candidate-pair" && report.nominated && report.state === "succeeded") {
        if (typeof report.availableOutgoingBitrate === "number") {
          sample.outgoing = report.availableOutgoingBitrate;
        }
        if (typeof report.currentRoundTripTime === "number") {
          sample.roundTrip = report.currentRoundTripTime;
        }
      }
      if (report.type === "inbound-rtp") {
        sample.lost += report.packetsLost || 0;
        sample.received += report.packetsReceived || 0;
      }
    });
    const lost = sample.lost - peer.lastInbound.lost;
    const received = sample.received - peer.lastInbound.received;
    peer.lastInbound = { lost: sample.lost, received: sample.received };
    sample.loss = lost + received > 0 ? Math.max(0, lost) / (lost + received) : 0;
    return sample;
  }

  function isPoor(sample) {
    return (
      (sample.outgoing !== null && sample.outgoing < POOR_OUTGOING_BITRATE) ||
      (sample.roundTrip !== null && sample.roundTrip > POOR_ROUND_TRIP) ||
      sample.loss > POOR_LOSS
    );
  }

  function describe(sample) {
    const parts = [];
    if (sample.outgoing !== null) parts.push(Math.round(sample.outgoing / 1000) + " kbit/s");
    if (sample.roundTrip !== null) parts.push("rtt " + Math.round(sample.roundTrip * 1000) + " ms");
    parts.push("pertes " + Math.round(sample.loss * 100) + " %");
    return parts.join(", ");
  }

  function notePoorSample(poor, detail) {
    state.poorSamples = poor ? state.poorSamples + 1 : 0;
    if (state.poorSamples >= POOR_SAMPLES_BEFORE_AUDIO_ONLY && !state.audioOnly) {
      send({ type: "incident", kind: "poor-link", detail: detail.slice(0, 120) });
      setAudioOnly(true, "poor-link");
    }
  }

  async function watchLink() {
    if (state.audioOnly || !state.videoTrack) return;
    let worst = null;
    for (const peer of state.peers.values()) {
      if (!peer.pc || peer.pc.connectionState !== "connected") continue;
      try {
        const sample = await sampleLink(peer);
        if (sample.sendingVideo && isPoor(sample)) worst = sample;
      } catch (error) {
        /* a peer closed meanwhile */
      }
    }
    notePoorSample(worst !== null, worst ? describe(worst) : "");
  }

  /* --- test hook -------------------------------------------------------------------------- */

  window.maillageCall = {
    peers: pcs,
    async inboundVideoFrames() {
      let frames = 0;
      for (const pc of pcs.values()) {
        const stats = await pc.getStats();
        stats.forEach(function (report) {
          if (report.type === "inbound-rtp" && report.kind === "video") {
            frames += report.framesDecoded || report.framesReceived || 0;
          }
        });
      }
      return frames;
    },
    connectionStates() {
      const states = {};
      pcs.forEach(function (pc, id) { states[id] = pc.connectionState; });
      return states;
    },
    audioOnly() {
      return state.audioOnly;
    },
    myPeerId() {
      return state.myId;
    },
    socketOpen() {
      return Boolean(state.socket && state.socket.readyState === WebSocket.OPEN && state.myId);
    },
    setAudioOnly(on) {
      return setAudioOnly(Boolean(on), "manual");
    },
    dropSocket() {
      // What a lost link looks like to the server: the socket ends without a "leave".
      if (state.socket) state.socket.close(4000, "simulated drop");
    },
    simulatePoorLink() {
      for (let i = 0; i < POOR_SAMPLES_BEFORE_AUDIO_ONLY; i += 1) {
        notePoorSample(true, "simulation");
      }
    },
  };

  /* --- start ------------------------------------------------------------------------------ */

  async function start() {
    setStatus(t("connecting"));
    await startMedia();
    connect();
    window.setInterval(watchLink, STATS_EVERY_MS);
    window.setInterval(updateWaiting, 30000);
    window.setInterval(function () {
      if (state.myId) send({ type: "ping" });
    }, PING_EVERY_MS);
    updateWaiting();
  }

  start();
})();
