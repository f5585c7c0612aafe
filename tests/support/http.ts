/** A minimal cookie-keeping HTTP client, to drive the real server the way a browser without JavaScript would. */
export class Visitor {
  readonly cookies = new Map<string, string>();
  readonly baseUrl: string;
  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set("cookie", this.cookieHeader);
    headers.set("origin", this.baseUrl);
    const response = await fetch(this.baseUrl + path, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const [name, ...rest] = pair!.split("=");
      const value = rest.join("=");
      const expired = attrs.some((a) => /max-age=0/i.test(a.trim()));
      if (expired || value === "") this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
    return response;
  }

  get(path: string, headers: Record<string, string> = {}) {
    return this.request(path, { headers });
  }

  /** Posts a form as a browser does (urlencoded); a FormData body is sent as multipart. */
  post(path: string, form: Record<string, string> | FormData) {
    const body = form instanceof FormData ? form : new URLSearchParams(form);
    return this.request(path, { method: "POST", body });
  }
}

export const html = (r: Response) => r.text();

/**
 * A page's markup as a person reads it: React's empty comment markers between text parts removed, and without its
 * scripts (the page's data travels in them, with the texts of its area: ADR 025).
 */
export const pageText = async (r: Response) => withoutScripts(await r.text()).replaceAll("<!-- -->", "");

/** The markup without `<script>` elements. */
export const withoutScripts = (html: string) => html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, "");

/** A visitor signed in through the sign-in form (fixture accounts use "test-password"). */
export async function signedInVisitor(baseUrl: string, username: string, password = "test-password"): Promise<Visitor> {
  const v = new Visitor(baseUrl);
  const res = await v.post("/sign-in", { username, password });
  if (res.status !== 302) throw new Error(`sign-in as ${username} answered ${res.status}`);
  return v;
}
