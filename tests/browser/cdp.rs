//! A small Chrome DevTools Protocol client: starts headless Chromium and
//! drives one page at a time over the protocol's WebSocket.
//!
//! Hand-rolled on `tungstenite` (synchronous) and `serde_json` rather than
//! a CDP crate: `chromiumoxide` brings tokio and a generated protocol crate
//! that takes minutes to compile on a two-core CI machine, and
//! `headless_chrome` downloads a browser unless its default features are
//! turned off and hides the per-page session that the tests need in order
//! to see every network request and console message. The tests use a dozen
//! commands and four events; this file is all of it, and it never fetches
//! anything: it runs the Chromium installed on the machine.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tungstenite::{Message, WebSocket};

/// How long any single wait may take before the test fails. Generous: a
/// loaded CI machine is slow, and a wait ends as soon as its condition
/// holds, so a long limit costs nothing when things work.
pub const PATIENCE: Duration = Duration::from_secs(30);

pub type Result<T> = std::result::Result<T, String>;

/// Where Chromium is: `$CHROMIUM`, else the usual names on `PATH`.
pub fn find_chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(path)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in [
            "chromium",
            "chromium-browser",
            "google-chrome",
            "google-chrome-stable",
        ] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// A running headless Chromium with a fresh profile, and the protocol
/// connection to it.
pub struct Chromium {
    child: Child,
    _profile: tempfile::TempDir,
    socket: WebSocket<TcpStream>,
    next_id: u64,
    /// Events read while waiting for something else, oldest first.
    events: VecDeque<Value>,
}

impl Chromium {
    /// Starts Chromium. Requests to other hosts from the browser's own
    /// services (update checks and the like, which some builds make even
    /// with every switch below) go through `background_proxy`, so no test
    /// ever reaches the network. Pages get their own proxy in
    /// [`Chromium::new_page`].
    pub fn launch(exe: &Path, background_proxy: SocketAddr) -> Result<Chromium> {
        let profile = tempfile::tempdir().map_err(|e| format!("temporary profile: {e}"))?;
        let mut child = Command::new(exe)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-first-run",
                "--disable-component-update",
                "--disable-sync",
                "--disable-default-apps",
                "--disable-extensions",
                "--mute-audio",
                "--hide-scrollbars",
                "--remote-debugging-port=0",
                // Quiet the browser's own services, so that what reaches
                // the test's proxy comes from the pages.
                "--disable-breakpad",
                "--disable-client-side-phishing-detection",
                "--disable-domain-reliability",
                "--disable-component-extensions-with-background-pages",
                "--disable-field-trial-config",
                "--disable-search-engine-choice-screen",
                "--metrics-recording-only",
                "--no-pings",
                "--no-service-autorun",
                "--password-store=basic",
                "--use-mock-keychain",
                "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication,\
                 CertificateTransparencyComponentUpdater,InterestFeedContentSuggestions,SignInProfileCreation",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            // Loopback addresses (the test server) are never proxied.
            .arg(format!("--proxy-server=http://{background_proxy}"))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", exe.display()))?;

        // Chromium prints the browser's WebSocket address on stderr; keep
        // draining stderr afterwards so it never blocks on a full pipe.
        let stderr = child.stderr.take().ok_or("no stderr")?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stderr)
                .lines()
                .map_while(std::result::Result::ok)
            {
                if !sent {
                    if let Some(at) = line.find("ws://") {
                        sent = tx.send(line[at..].trim().to_string()).is_ok();
                    }
                }
            }
        });
        let ws_url = match rx.recv_timeout(PATIENCE) {
            Ok(url) => url,
            Err(_) => {
                let _ = child.kill();
                return Err("Chromium did not report its DevTools address".into());
            }
        };
        let host = ws_url
            .trim_start_matches("ws://")
            .split('/')
            .next()
            .unwrap_or_default()
            .to_string();
        let stream = TcpStream::connect(&host).map_err(|e| format!("connect to {host}: {e}"))?;
        let (socket, _) = tungstenite::client::client(ws_url.as_str(), stream)
            .map_err(|e| format!("DevTools handshake: {e}"))?;
        socket
            .get_ref()
            .set_read_timeout(Some(Duration::from_millis(20)))
            .map_err(|e| e.to_string())?;
        Ok(Chromium {
            child,
            _profile: profile,
            socket,
            next_id: 1,
            events: VecDeque::new(),
        })
    }

    /// Reads one message if one arrives soon; events are queued.
    fn read_one(&mut self) -> Result<Option<Value>> {
        match self.socket.read() {
            Ok(Message::Text(text)) => serde_json::from_str(text.as_str())
                .map(Some)
                .map_err(|e| format!("bad DevTools message: {e}")),
            Ok(_) => Ok(None),
            Err(tungstenite::Error::Io(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                Ok(None)
            }
            Err(e) => Err(format!("DevTools connection: {e}")),
        }
    }

    /// Sends a command (to a page's session, or to the browser) and waits
    /// for its answer.
    pub fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Result<Value> {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        self.socket
            .send(Message::text(message.to_string()))
            .map_err(|e| format!("send {method}: {e}"))?;
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            let Some(reply) = self.read_one()? else {
                continue;
            };
            if reply.get("id").and_then(Value::as_u64) == Some(id) {
                if let Some(error) = reply.get("error") {
                    return Err(format!("{method} failed: {error}"));
                }
                return Ok(reply["result"].clone());
            }
            if reply.get("method").is_some() {
                self.events.push_back(reply);
            }
        }
        Err(format!("{method}: no answer from Chromium"))
    }

    /// Reads whatever events have arrived, without waiting long.
    fn poll_events(&mut self) -> Result<()> {
        while let Some(message) = self.read_one()? {
            if message.get("method").is_some() {
                self.events.push_back(message);
            }
        }
        Ok(())
    }

    /// Opens a tab in a new browser context (its own empty storage) whose
    /// requests to any host but loopback go through `proxy`: the test's
    /// recorder of third-party hosts contacted by the page.
    pub fn new_page(&mut self, proxy: SocketAddr) -> Result<Page<'_>> {
        let context = self.call(
            None,
            "Target.createBrowserContext",
            json!({ "proxyServer": format!("http://{proxy}"), "disposeOnDetach": true }),
        )?;
        let context = context["browserContextId"]
            .as_str()
            .ok_or("no browserContextId")?
            .to_string();
        let target = self.call(
            None,
            "Target.createTarget",
            json!({ "url": "about:blank", "browserContextId": context }),
        )?;
        let target_id = target["targetId"]
            .as_str()
            .ok_or("no targetId")?
            .to_string();
        let attached = self.call(
            None,
            "Target.attachToTarget",
            json!({ "targetId": target_id, "flatten": true }),
        )?;
        let session = attached["sessionId"]
            .as_str()
            .ok_or("no sessionId")?
            .to_string();
        let mut page = Page {
            browser: self,
            session,
            console_errors: Vec::new(),
            requests: Vec::new(),
            loaded: false,
        };
        for domain in ["Page", "Runtime", "Network", "Log"] {
            page.call(&format!("{domain}.enable"), json!({}))?;
        }
        Ok(page)
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        let _ = self.socket.send(Message::text(
            json!({ "id": 0, "method": "Browser.close" }).to_string(),
        ));
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One tab, with what it logged and requested since it was opened.
pub struct Page<'a> {
    browser: &'a mut Chromium,
    session: String,
    /// Console errors, uncaught exceptions and failed loads, as text.
    pub console_errors: Vec<String>,
    /// The URL of every request the page made.
    pub requests: Vec<String>,
    loaded: bool,
}

impl Page<'_> {
    pub fn call(&mut self, method: &str, params: Value) -> Result<Value> {
        let result = self.browser.call(Some(&self.session), method, params);
        self.absorb();
        result
    }

    /// Moves this page's queued events into its records.
    fn absorb(&mut self) {
        let events = std::mem::take(&mut self.browser.events);
        for event in events {
            if event.get("sessionId").and_then(Value::as_str) != Some(self.session.as_str()) {
                continue;
            }
            let params = &event["params"];
            match event["method"].as_str().unwrap_or_default() {
                "Page.loadEventFired" => self.loaded = true,
                "Network.requestWillBeSent" => {
                    if let Some(url) = params["request"]["url"].as_str() {
                        self.requests.push(url.to_string());
                    }
                }
                "Runtime.consoleAPICalled"
                    if params["type"] == "error" || params["type"] == "assert" =>
                {
                    let text: Vec<String> = params["args"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|a| {
                            a["value"]
                                .as_str()
                                .map(str::to_string)
                                .or_else(|| a["description"].as_str().map(str::to_string))
                                .unwrap_or_else(|| a.to_string())
                        })
                        .collect();
                    self.console_errors
                        .push(format!("console.error: {}", text.join(" ")));
                }
                "Runtime.exceptionThrown" => {
                    let details = &params["exceptionDetails"];
                    let text = details["exception"]["description"]
                        .as_str()
                        .or_else(|| details["text"].as_str())
                        .unwrap_or("exception");
                    self.console_errors.push(format!("uncaught: {text}"));
                }
                "Log.entryAdded" if params["entry"]["level"] == "error" => {
                    let entry = &params["entry"];
                    self.console_errors.push(format!(
                        "{}: {} {}",
                        entry["source"].as_str().unwrap_or("log"),
                        entry["text"].as_str().unwrap_or_default(),
                        entry["url"].as_str().unwrap_or_default()
                    ));
                }
                _ => {}
            }
        }
    }

    /// Waits until `done` holds for this page's records, reading events.
    fn wait_for_event(&mut self, what: &str, done: impl Fn(&Self) -> bool) -> Result<()> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            self.browser.poll_events()?;
            self.absorb();
            if done(self) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("timed out waiting for {what}"));
            }
        }
    }

    /// Opens `url` and waits for its `load` event.
    pub fn goto(&mut self, url: &str) -> Result<()> {
        self.loaded = false;
        let result = self.call("Page.navigate", json!({ "url": url }))?;
        if let Some(error) = result.get("errorText").and_then(Value::as_str) {
            return Err(format!("cannot open {url}: {error}"));
        }
        self.wait_for_event(&format!("{url} to load"), |p| p.loaded)
    }

    /// Call before an action that opens another page, then
    /// [`Page::wait_for_load`].
    pub fn expect_navigation(&mut self) {
        self.loaded = false;
    }

    pub fn wait_for_load(&mut self) -> Result<()> {
        self.wait_for_event("the next page to load", |p| p.loaded)
    }

    /// Reloads the page and waits for its `load` event.
    pub fn reload(&mut self) -> Result<()> {
        self.loaded = false;
        self.call("Page.reload", json!({}))?;
        self.wait_for_event("the page to reload", |p| p.loaded)
    }

    /// Evaluates `expression` (awaiting a promise) and returns its value.
    pub fn eval(&mut self, expression: &str) -> Result<Value> {
        let result = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "awaitPromise": true, "returnByValue": true }),
        )?;
        if let Some(details) = result.get("exceptionDetails") {
            let text = details["exception"]["description"]
                .as_str()
                .or_else(|| details["text"].as_str())
                .unwrap_or("exception");
            return Err(format!("`{expression}` threw: {text}"));
        }
        Ok(result["result"]["value"].clone())
    }

    pub fn eval_string(&mut self, expression: &str) -> Result<String> {
        Ok(match self.eval(expression)? {
            Value::String(s) => s,
            Value::Null => String::new(),
            other => other.to_string(),
        })
    }

    /// Polls `expression` until it is true.
    pub fn wait_until(&mut self, expression: &str) -> Result<()> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if self.eval(expression)? == Value::Bool(true) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("timed out waiting until `{expression}`"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Clicks the middle of the element `selector` with the mouse, as a
    /// person would (the element must be visible and not covered).
    pub fn click(&mut self, selector: &str) -> Result<()> {
        let quoted = serde_json::to_string(selector).map_err(|e| e.to_string())?;
        let point = self.eval(&format!(
            "(() => {{ const e = document.querySelector({quoted}); if (!e) return null;
               e.scrollIntoView({{block: 'center'}}); const r = e.getBoundingClientRect();
               return [r.left + r.width / 2, r.top + r.height / 2, r.width * r.height]; }})()"
        ))?;
        let (x, y) = match point.as_array().map(Vec::as_slice) {
            Some([x, y, area]) if area.as_f64().unwrap_or(0.0) > 0.0 => {
                (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0))
            }
            _ => return Err(format!("nothing visible to click at `{selector}`")),
        };
        for kind in ["mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({ "type": kind, "x": x, "y": y, "button": "left", "clickCount": 1 }),
            )?;
        }
        Ok(())
    }

    /// Types `text` into the focused element.
    pub fn type_text(&mut self, text: &str) -> Result<()> {
        for c in text.chars() {
            self.call("Input.insertText", json!({ "text": c.to_string() }))?;
        }
        Ok(())
    }

    /// Presses a key: `ArrowDown`, `ArrowUp`, `Escape` or `Enter`.
    pub fn press(&mut self, key: &str) -> Result<()> {
        let (code, text) = match key {
            "ArrowDown" => (40, None),
            "ArrowUp" => (38, None),
            "Escape" => (27, None),
            "Enter" => (13, Some("\r")),
            other => return Err(format!("no key code for {other}")),
        };
        let mut down =
            json!({ "type": "rawKeyDown", "key": key, "code": key, "windowsVirtualKeyCode": code });
        if let Some(text) = text {
            down["type"] = json!("keyDown");
            down["text"] = json!(text);
        }
        self.call("Input.dispatchKeyEvent", down)?;
        self.call(
            "Input.dispatchKeyEvent",
            json!({ "type": "keyUp", "key": key, "code": key, "windowsVirtualKeyCode": code }),
        )?;
        Ok(())
    }

    /// Sets the viewport width (phone-like below 600 px) and colour scheme.
    pub fn emulate(&mut self, width: u32, dark: bool) -> Result<()> {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600 }),
        )?;
        let scheme = if dark { "dark" } else { "light" };
        self.call(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        )?;
        Ok(())
    }

    /// Turns JavaScript off (or on) for the next loads.
    pub fn set_javascript(&mut self, enabled: bool) -> Result<()> {
        self.call(
            "Emulation.setScriptExecutionDisabled",
            json!({ "value": !enabled }),
        )?;
        Ok(())
    }

    /// A PNG of the page at the current width: the whole page, or only the
    /// first screenful when `full` is false.
    pub fn screenshot(&mut self, full: bool) -> Result<Vec<u8>> {
        let metrics = self.call("Page.getLayoutMetrics", json!({}))?;
        let width = metrics["cssLayoutViewport"]["clientWidth"]
            .as_f64()
            .unwrap_or(1280.0);
        let height = if full {
            metrics["cssContentSize"]["height"]
                .as_f64()
                .unwrap_or(900.0)
        } else {
            metrics["cssLayoutViewport"]["clientHeight"]
                .as_f64()
                .unwrap_or(900.0)
        };
        let shot = self.call(
            "Page.captureScreenshot",
            json!({
                "format": "png",
                "captureBeyondViewport": full,
                "clip": { "x": 0, "y": 0, "width": width, "height": height, "scale": 1 }
            }),
        )?;
        let data = shot["data"].as_str().ok_or("no screenshot data")?;
        data_encoding::BASE64
            .decode(data.as_bytes())
            .map_err(|e| format!("screenshot: {e}"))
    }
}
