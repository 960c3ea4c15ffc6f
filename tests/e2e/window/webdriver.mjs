// A small W3C WebDriver client (fetch only) for WebKitWebDriver driving the real Tauri window.

export class WebDriver {
  constructor(base) {
    this.base = base;
    this.session = null;
  }

  async cmd(method, path, body) {
    const url = this.session ? `${this.base}/session/${this.session}${path}` : `${this.base}${path}`;
    const res = await fetch(url, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json().catch(() => ({}));
    if (!res.ok || (json.value && json.value.error)) {
      throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json.value ?? json)}`);
    }
    return json.value;
  }

  async start(capabilities) {
    const v = await this.cmd("POST", "/session", { capabilities: { alwaysMatch: capabilities } });
    this.session = v.sessionId;
    return v;
  }

  async stop() {
    if (this.session) {
      await this.cmd("DELETE", "").catch(() => {});
      this.session = null;
    }
  }

  /** Finds one element by CSS selector, waiting up to `timeout` ms. */
  async find(css, timeout = 20_000) {
    const until = Date.now() + timeout;
    let last;
    while (Date.now() < until) {
      try {
        const v = await this.cmd("POST", "/element", { using: "css selector", value: css });
        return Object.values(v)[0];
      } catch (e) {
        last = e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    throw new Error(`element ${css} not found: ${last?.message}`);
  }

  async click(css) {
    const id = await this.find(css);
    await this.cmd("POST", `/element/${id}/click`, {});
  }

  async type(css, text) {
    const id = await this.find(css);
    await this.cmd("POST", `/element/${id}/clear`, {}).catch(() => {});
    await this.cmd("POST", `/element/${id}/value`, { text });
  }

  async text(css) {
    const id = await this.find(css);
    return this.cmd("GET", `/element/${id}/text`);
  }

  /** Waits until `css` has text matching `re`. */
  async waitText(css, re, timeout = 20_000) {
    const until = Date.now() + timeout;
    let t = "";
    while (Date.now() < until) {
      t = await this.text(css).catch(() => "");
      if (re.test(t)) return t;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${css} never matched ${re}: last text ${JSON.stringify(t)}`);
  }

  async execute(script, args = []) {
    return this.cmd("POST", "/execute/sync", { script, args });
  }

  async screenshot() {
    return Buffer.from(await this.cmd("GET", "/screenshot"), "base64");
  }
}
