/** `der agent`: a cluster agent in the foreground until SIGTERM / Ctrl-C (drains) or a lost Redis connection. */
import { parseArgs } from 'node:util';
import { NodeWorkerHost } from '../jobs/worker-host';
import { Agent } from './agent';

export const AGENT_HELP = `Usage: der agent --redis redis://[:PASSWORD@]HOST:PORT [--concurrency N] [--label NAME] [--kinds k1,k2] [--lock-ms MS]
  Takes runs queued by a workbench started with --redis on the same Redis and runs each in a worker process
  here; events stream back to that workbench, which stores them. rediss:// connects with TLS.
  --concurrency N   runs at once (default 1); a timing kind always runs alone on its agent
  --label NAME      shown on each run it executes (default: the host name)
  --kinds k1,k2     run only these kinds (default: every kind that runs in a worker)
  --lock-ms MS      BullMQ job lock: a run of an agent silent this long is declared stalled and ends crashed (default 30000)
  --give-up-ms MS   exit (code 3) after this long without a Redis connection (default 30000)
  SIGTERM or Ctrl-C drains: running runs finish, no new one is taken; a second one exits at once.`;

export class AgentUsageError extends Error {}

export async function agentCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        redis: { type: 'string' },
        concurrency: { type: 'string' },
        label: { type: 'string' },
        kinds: { type: 'string' },
        'lock-ms': { type: 'string' },
        'give-up-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    throw new AgentUsageError((err as Error).message);
  }
  if (values.help) return (console.log(AGENT_HELP), 0);
  const redisUrl = values.redis ?? process.env.DER_REDIS;
  if (!redisUrl) throw new AgentUsageError('der agent needs --redis redis://HOST:PORT (or DER_REDIS)');
  const int = (name: string, v: string | undefined, min: number): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new AgentUsageError(`--${name} must be an integer ≥ ${min}, got "${v}"`);
    return n;
  };
  let agent: Agent;
  try {
    agent = new Agent({
      redisUrl,
      host: new NodeWorkerHost(),
      concurrency: int('concurrency', values.concurrency, 1),
      label: values.label,
      kinds: values.kinds?.split(',').map((k) => k.trim()).filter(Boolean),
      lockMs: int('lock-ms', values['lock-ms'], 500),
      giveUpMs: int('give-up-ms', values['give-up-ms'], 0),
    });
  } catch (err) {
    throw new AgentUsageError((err as Error).message);
  }
  let signals = 0;
  const onSignal = (): void => {
    if (++signals > 1) process.exit(130);
    void agent.drain();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    await agent.start();
  } catch (err) {
    console.error(`der agent: could not start on Redis: ${(err as Error).message}`);
    return 3;
  }
  const code = await agent.ended;
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  return code;
}
