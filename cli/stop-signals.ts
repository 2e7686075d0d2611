import fs from 'node:fs';

/**
 * Calls `stop` once: on SIGINT or SIGTERM, or when a signal meant for us stops at npm's shell.
 *
 * `npx attachkit serve` and `npm start` run the CLI as npm → `sh -c attachkit …` → node, and npm
 * forwards a SIGINT or SIGTERM it receives to that shell only (Debian's dash does not exec its
 * last command). On SIGTERM the shell dies and leaves node running, holding the port: our parent
 * changes. On SIGINT the shell catches the signal and goes on waiting for node, forever: the only
 * trace is that the shell woke up, which it otherwise never does while its one child runs. So,
 * when npm started us, both count as a stop. Outside npm nothing is watched:
 * `(attachkit serve &)` must keep running after its shell exits.
 */
export function onStop(stop: (reason: string) => void): () => void {
  let stopped = false;
  const once = (reason: string) => {
    if (stopped) return;
    stopped = true;
    dispose();
    stop(reason);
  };
  const onSigint = () => once('SIGINT');
  const onSigterm = () => once('SIGTERM');
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigterm);
  const watch = process.env.npm_command ? watchNpmShell(once) : undefined;
  function dispose() {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    watch?.();
  }
  return dispose;
}

const shells = new Set(['sh', 'dash', 'bash', 'ash', 'ksh', 'zsh']);

/** How often the shell has gone to sleep; undefined where /proc cannot tell (not Linux, not a shell). */
function shellWakeups(pid: number): number | undefined {
  try {
    if (!shells.has(fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim())) return undefined;
    const match = /^voluntary_ctxt_switches:\s+(\d+)$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function watchNpmShell(stop: (reason: string) => void): () => void {
  const parent = process.ppid;
  let wakeups = shellWakeups(parent);
  // Ctrl-Z then `fg` stops and continues the shell too; that is not a request to stop.
  const rebase = () => (wakeups = shellWakeups(parent));
  process.on('SIGCONT', rebase);
  const timer = setInterval(() => {
    if (process.ppid !== parent) return stop('npm’s shell exited');
    if (wakeups === undefined) return;
    const now = shellWakeups(parent);
    if (now !== undefined && now !== wakeups) stop('npm’s shell was signalled');
  }, 200).unref();
  return () => {
    clearInterval(timer);
    process.off('SIGCONT', rebase);
  };
}
