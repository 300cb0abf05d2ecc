// The agent and preconnect: keep-alive agents for node:http and node:https that can open connections ahead of the
// requests that will need them, and the parsed targets every request to a URL reuses. Loaded with the first
// request or preconnect (network.ts).
import type * as NodeHttp from 'node:http';
import type * as NodeNet from 'node:net';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { KEEP_ALIVE_MS, MAX_PRECONNECTED } from './connection-limits';

/**
 * A keep-alive agent that can open connections ahead of the requests that will need them. When the agent needs a
 * new connection for a host, it takes one opened ahead first, and only then opens a fresh one: Node's own
 * pooling, reuse and limits stay as they are.
 */
export interface ReadyAgent extends NodeHttp.Agent {
  /** Connections opened ahead and not taken yet, by the agent's name for their host. */
  readonly ready: Map<string, Socket[]>;
  /** Connections to open ahead once the current callback is done; a request that needs one first opens it itself. */
  readonly due: Map<string, { target: Target; count: number }>;
  /** The agent's name for a host (`agent.getName()` of the options a request to it gets). */
  nameOf(target: Target): string;
  /** Opens a connection to the host without sending anything on it. */
  open(target: Target, name: string): Socket;
}

export interface Transport {
  request: typeof NodeHttp.request;
  agent: ReadyAgent;
}

/** What the transport keeps of a URL: parsed once, reused by every request to it. */
export interface Target {
  transport: Transport;
  protocol: 'http:' | 'https:';
  hostname: string;
  port: number;
  path: string;
  /** The Host header of a request to it. */
  host: string;
  /** `agent.nameOf(target)`, once asked. */
  name?: string;
}

// Sockets the agents handed out that had been opened ahead: a failure on one is a connection the server closed
// while it waited, not an answer to the request.
export const openedAhead = new WeakSet<object>();
// The listener that drops a socket opened ahead while it waits, removed when the socket is handed out.
const dropWhileWaiting = new WeakMap<Socket, () => void>();

function ready(socket: Socket): boolean {
  return !socket.destroyed && socket.readable && socket.writable;
}

function readyAgent(Base: typeof NodeHttp.Agent): ReadyAgent {
  // Loaded by node:http already.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { isIP } = require('node:net') as typeof NodeNet;
  class Agent extends Base {
    readonly ready = new Map<string, Socket[]>();
    readonly due = new Map<string, { target: Target; count: number }>();

    override createConnection(options: NodeHttp.ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
      const name = this.getName(options);
      const list = this.ready.get(name);
      while (list?.length) {
        const socket = list.pop()!;
        if (!list.length) this.ready.delete(name);
        const drop = dropWhileWaiting.get(socket)!;
        socket.off('close', drop).off('end', drop).off('timeout', drop).off('error', drop);
        if (!ready(socket)) {
          socket.destroy();
          continue;
        }
        // Held unreferenced, so that an idle one never keeps the process alive; in use, it does, as a fresh one would.
        socket.ref();
        openedAhead.add(socket);
        return socket;
      }
      // One that was due to be opened ahead is opened now, for this request.
      const due = this.due.get(name);
      if (due && --due.count === 0) this.due.delete(name);
      return super.createConnection(options, callback);
    }

    nameOf(target: Target): string {
      return this.getName(this.connectOptions(target));
    }

    open(target: Target, name: string): Socket {
      // Base.prototype: this agent's own createConnection would hand out a socket that is ready.
      const socket = Base.prototype.createConnection.call(this, Object.assign(this.connectOptions(target), { _agentKey: name })) as Socket;
      const drop = () => {
        socket.destroy();
        const list = this.ready.get(name);
        const at = list ? list.indexOf(socket) : -1;
        if (at !== -1) list!.splice(at, 1);
        if (list && !list.length) this.ready.delete(name);
      };
      // Closed by the server, unreachable, or idle past the keep-alive time: dropped, never handed out.
      dropWhileWaiting.set(socket, drop);
      socket.once('close', drop).once('end', drop).once('timeout', drop).on('error', drop);
      socket.setTimeout(KEEP_ALIVE_MS);
      socket.unref();
      const list = this.ready.get(name);
      if (list) list.push(socket);
      else this.ready.set(name, [socket]);
      return socket;
    }

    /** The options the agent gives `createConnection` for a request to the target (see Agent#createSocket). */
    private connectOptions(target: Target): NodeHttp.ClientRequestArgs & Record<string, unknown> {
      const options: Record<string, unknown> = {
        host: target.hostname,
        port: target.port,
        // What Node derives from the Host header: the host name, or '' for an IP address.
        servername: isIP(target.hostname) ? '' : target.hostname,
      };
      Object.assign(options, (this as unknown as { options: object }).options);
      options.keepAlive = true;
      options.keepAliveInitialDelay = (this as unknown as { keepAliveMsecs: number }).keepAliveMsecs;
      options.encoding = null;
      return options as NodeHttp.ClientRequestArgs & Record<string, unknown>;
    }
  }
  // Keep-alive: a sign-in makes two or three calls to the same host, and a fresh TLS handshake for each costs more
  // than the rest of the request.
  return new Agent({ keepAlive: true, timeout: KEEP_ALIVE_MS }) as unknown as ReadyAgent;
}

// node:http and node:https are loaded, and the agents made, on the first request: an application that loads the
// collection without calling a provider (or nadeo-auth with an injected fetch) pays for neither, and node:https
// brings TLS.
const transports: { 'http:'?: Transport; 'https:'?: Transport } = {};

function transportFor(protocol: 'http:' | 'https:'): Transport {
  let transport = transports[protocol];
  if (!transport) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = (protocol === 'https:' ? require('node:https') : require('node:http')) as typeof NodeHttp;
    transport = { request: module.request, agent: readyAgent(module.Agent) };
    transports[protocol] = transport;
  }
  return transport;
}

// URLs parsed so far: a strategy calls the same few endpoints again and again. Bounded, since some URLs carry an id.
const targets = new Map<string, Target | string>();
const MAX_TARGETS = 256;

/** The target of a URL, or why there is none. */
export function targetOf(url: string): Target | string {
  let target = targets.get(url);
  if (target !== undefined) return target;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    target = 'invalid URL';
  }
  if (parsed) {
    const protocol = parsed.protocol;
    if (protocol !== 'http:' && protocol !== 'https:') {
      target = `unsupported protocol ${protocol}`;
    } else {
      const hostname = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
      const port = parsed.port ? Number(parsed.port) : protocol === 'https:' ? 443 : 80;
      target = { transport: transportFor(protocol), protocol, hostname, port, path: `${parsed.pathname}${parsed.search}`, host: parsed.host };
    }
  }
  if (targets.size >= MAX_TARGETS) targets.clear();
  targets.set(url, target!);
  return target!;
}

/** Opens connections ahead of the requests that will need them: see networking.ts, which exports it. */
export function preconnect(url: string, sockets = 1): void {
  const target = targetOf(url);
  if (typeof target === 'string') return;
  const agent = target.transport.agent;
  const name = (target.name ??= agent.nameOf(target));
  const wanted = Math.min(Math.max(1, Math.floor(sockets) || 1), MAX_PRECONNECTED);
  const due = agent.due.get(name);
  const have = (agent.freeSockets[name]?.length ?? 0) + (agent.ready.get(name)?.length ?? 0) + (due?.count ?? 0);
  if (have >= wanted) return;
  if (due) {
    due.count += wanted - have;
    return;
  }
  agent.due.set(name, { target, count: wanted - have });
  // Opened on the next turn of the event loop, not in this callback: the response that asked for them (an authorize
  // redirect, written once the session is saved) goes out first, without waiting for TLS's work.
  setTimeout(openDue, 0, agent, name);
}

function openDue(agent: ReadyAgent, name: string): void {
  const due = agent.due.get(name);
  agent.due.delete(name);
  for (let i = 0; i < (due?.count ?? 0); i++) agent.open(due!.target, name);
}

/** After a server closed an idle connection, the others to that host that idle as long are closed too: the next request gets a new one. */
export function discardIdle(target: Target): void {
  const agent = target.transport.agent;
  const name = (target.name ??= agent.nameOf(target));
  for (const socket of [...(agent.freeSockets[name] ?? []), ...(agent.ready.get(name) ?? [])]) socket.destroy();
  agent.ready.delete(name);
}
