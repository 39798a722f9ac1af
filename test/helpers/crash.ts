import { type ChildProcess, spawn } from 'node:child_process';
import { fromPackage } from '../../src/paths.ts';
import { startSmtpServer, type TestSmtpServer } from './smtp.ts';

const bin = fromPackage('bin', 'foerdermatch.js');

export interface CliRun {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: string | null; out: string }>;
}

/** Runs `foerdermatch <args>` in a process of its own; `out` is stdout and stderr together. */
export function runCli(args: string[], env: NodeJS.ProcessEnv): CliRun {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { PATH: process.env.PATH, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const done = new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, out })),
  );
  return { child, done };
}

/**
 * A real SMTP server that kills the sending process (kill -9) once it has the whole first
 * message and before it answers 250: the mail is in the server's hands, but the sender never
 * learns it. `run` starts the process that is to be killed.
 */
export async function smtpKillingFirstSender(): Promise<{
  smtp: TestSmtpServer;
  run(args: string[], env: NodeJS.ProcessEnv): CliRun;
}> {
  let victim: CliRun | undefined;
  const smtp = await startSmtpServer(async (n) => {
    if (n === 1 && victim) {
      victim.child.kill('SIGKILL');
      await victim.done;
    }
    return undefined;
  });
  return {
    smtp,
    run(args, env) {
      victim = runCli(args, env);
      return victim;
    },
  };
}
