/** Tunables shared by all APIs; each has a default stated in `attachkit serve --help`. */
export interface ServerConfig {
  /** Largest file accepted, in bytes (EspoCRM's attachmentUploadMaxSize default is 256 MB). */
  maxFileBytes: number;
  /** Validate every JSON response against the contract (EOV validateResponses). */
  validateResponses: boolean;
  /**
   * Refuse, in the API's dialect, every request that departs from the contract even where the
   * vendor would accept it (`attachkit serve --strict`). Off: such a request is answered as the
   * vendor would, with an `X-Attachkit-Violations` warning header and a log line.
   */
  strict: boolean;
  /** Where warnings go (one line each): departures from the contract the server let through. */
  log: (line: string) => void;
  /** Environment the credentials are read from (tests pass their own). */
  env: NodeJS.ProcessEnv;
  /** Time a client has to send the request line and headers. */
  headersTimeoutMs: number;
  /** Time a client has to send a whole request, body included (0: no limit). */
  requestTimeoutMs: number;
  /** A connection with no traffic either way for this long is closed (0: never). */
  idleTimeoutMs: number;
}

export const defaultServerConfig: ServerConfig = {
  maxFileBytes: 256 * 1024 * 1024,
  validateResponses: true,
  strict: false,
  log: (line) => console.warn(line),
  env: process.env,
  headersTimeoutMs: 20_000,
  // 256 MB (the default file limit) at 4 Mbit/s; a trickled body is cut here at the latest.
  requestTimeoutMs: 600_000,
  idleTimeoutMs: 60_000,
};
