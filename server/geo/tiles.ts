// The force's own tile server, from configuration. The browser may fetch map tiles from that one origin and
// no other (the CSP's img-src names it), so a tile address an analyst types cannot leak what they look at
// to a third party; the analyst only chooses between the built-in outline map and this server.

export interface TileServer {
  /** Slippy-map template with {z}, {x} and {y}, e.g. https://tiles.force.example/osm/{z}/{x}/{y}.png */
  url: string;
  /** scheme://host[:port], exactly as the CSP names it. */
  origin: string;
  /** What the analyst sees in the map picker. */
  name: string;
}

/** Checks a tile template; returns the reason it is unusable, or the server. */
export function parseTileServer(url: string, name?: string): TileServer | string {
  const raw = url.trim();
  for (const p of ['{z}', '{x}', '{y}'])
    if (!raw.includes(p))
      return `the tile address must contain ${p} (e.g. https://tiles.example/{z}/{x}/{y}.png)`;
  let parsed: URL;
  try {
    parsed = new URL(raw.replace('{z}', '0').replace('{x}', '0').replace('{y}', '0'));
  } catch {
    return 'the tile address is not a web address';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return 'the tile address must start with https:// (or http:// on a closed network)';
  if (parsed.username || parsed.password) return 'the tile address must not carry a user name or password';
  // The origin must be a single CSP source expression: no wildcards, quotes or spaces.
  if (!/^https?:\/\/[a-z0-9.-]+(:\d+)?$/i.test(parsed.origin))
    return 'the tile server host is not a plain host name';
  return { url: raw, origin: parsed.origin, name: name?.trim() || parsed.host };
}
