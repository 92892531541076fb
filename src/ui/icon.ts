/** The site icon, served at /favicon.svg: a heart on the accent colour (no font, no request for /favicon.ico). */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#b4451f"/>' +
  '<path d="M16 25s-9-5.6-9-11.5A4.8 4.8 0 0 1 16 11a4.8 4.8 0 0 1 9 2.5C25 19.4 16 25 16 25z" fill="#fff"/></svg>';
