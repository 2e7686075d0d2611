/** Tunables shared by all APIs; each has a default stated in `attachkit serve --help`. */
export interface ServerConfig {
  /** Largest file accepted, in bytes (EspoCRM's attachmentUploadMaxSize default is 256 MB). */
  maxFileBytes: number;
  /** Validate every JSON response against the contract (EOV validateResponses). */
  validateResponses: boolean;
  /** Environment the credentials are read from (tests pass their own). */
  env: NodeJS.ProcessEnv;
}

export const defaultServerConfig: ServerConfig = {
  maxFileBytes: 256 * 1024 * 1024,
  validateResponses: true,
  env: process.env,
};
