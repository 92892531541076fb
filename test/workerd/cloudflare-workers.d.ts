// Minimal typing for the runtime module used by workerd-only tests (the full
// @cloudflare/workers-types clash with the DOM lib the rest of the project uses).
declare module 'cloudflare:workers' {
  export const exports: { default: { fetch(input: string | Request, init?: RequestInit): Promise<Response> } };
}
