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
}

export const defaultServerConfig: ServerConfig = {
  maxFileBytes: 256 * 1024 * 1024,
  validateResponses: true,
  strict: false,
  log: (line) => console.warn(line),
  env: process.env,
};
