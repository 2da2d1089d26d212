import { existsSync, readFileSync } from 'node:fs';
import { BlockList } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { liveSocketOptions, STICKY_PARAM } from '../../client/src/live-socket.ts';

// No Docker engine runs on the build machines: this checks the file a deployer would run.
const compose = parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8')) as {
  services: Record<
    string,
    {
      command?: string[];
      image?: string;
      healthcheck?: { test: string[] };
      environment?: Record<string, string>;
      depends_on?: Record<string, unknown>;
      deploy?: { replicas?: number };
      ports?: string[];
      volumes?: string[];
      networks?: Record<string, { ipv4_address?: string }>;
    }
  >;
  networks?: Record<string, { ipam?: { config?: { subnet: string; ip_range?: string }[] } }>;
  volumes?: Record<string, unknown>;
};
const scripts = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> })
  .scripts;

/** The script file a `node <file> …` command runs, if it is one. */
function nodeEntry(command: string[]): string | null {
  return command[0] === 'node' && command[1] && !command[1].startsWith('-') ? command[1] : null;
}

describe('docker-compose.yml', () => {
  it('runs redis, an entry proxy, server and worker, each with a health check', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['proxy', 'redis', 'server', 'worker']);
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.healthcheck?.test.length, `${name} has a health check`).toBeGreaterThan(0);
    }
  });

  it('runs Redis with AOF on, fsynced before it answers, and eviction off', () => {
    const command = compose.services.redis!.command!.join(' ');
    expect(command).toMatch(/--appendonly yes/);
    expect(command).toMatch(/--appendfsync always/);
    expect(command).toMatch(/--maxmemory-policy noeviction/);
    expect(command).toMatch(/--hash-max-listpack-value 1024/); // compact ledger hashes, as the embedded Redis
  });

  it('runs node itself (no npm as PID 1 or every 10 s), the entry points package.json starts, against the compose Redis', () => {
    const entries: Record<string, [string, string]> = {
      server: [scripts['start:server']!, 'server'],
      worker: [scripts['start:worker']!, 'worker'],
    };
    for (const name of ['server', 'worker'] as const) {
      const service = compose.services[name]!;
      const entry = nodeEntry(service.command!);
      expect(entry, `${name}: ${service.command!.join(' ')}`).not.toBeNull();
      expect(entries[name]![0]).toBe(`exec node ${entry}`);
      const health = service.healthcheck!.test;
      expect(health.slice(0, 2)).toEqual(['CMD', 'node']);
      expect(health.slice(2)).toEqual(['scripts/healthcheck.ts', entries[name]![1]]);
      for (const file of [entry!, health[2]!]) expect(existsSync(new URL(`../../${file}`, import.meta.url)), file).toBe(true);
      expect(service.environment?.REDIS_URL).toBe('redis://redis:6379');
      expect(service.depends_on).toHaveProperty('redis');
    }
  });

  it('gives servers and workers the same image, the connectors file and a data volume at DATA_DIR', () => {
    const server = compose.services.server!;
    const worker = compose.services.worker!;
    expect(server.image).toBeDefined();
    expect(worker.image).toBe(server.image);
    for (const service of [server, worker]) {
      const mounts = new Map(service.volumes!.map((v) => [v.split(':')[1]!, v.split(':')[0]!]));
      const dataDir = service.environment!.DATA_DIR!;
      const connectors = service.environment!.CONNECTORS_FILE!;
      expect(mounts.get(dataDir), `a volume at DATA_DIR ${dataDir}`).toBeDefined();
      expect(compose.volumes).toHaveProperty(mounts.get(dataDir)!);
      const configDir = connectors.slice(0, connectors.lastIndexOf('/'));
      expect(mounts.get(configDir), `a volume holding CONNECTORS_FILE ${connectors}`).toBeDefined();
    }
    // The image's own defaults are the same paths, so `docker run` with -v … works alike.
    const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
    expect(dockerfile).toContain(`ENV DATA_DIR=${server.environment!.DATA_DIR}`);
    expect(dockerfile).toContain(`ENV CONNECTORS_FILE=${server.environment!.CONNECTORS_FILE}`);
  });

  it('runs two replicas of server and worker behind one entry point, which alone publishes a port', () => {
    expect(compose.services.server!.deploy?.replicas).toBe(2);
    expect(compose.services.worker!.deploy?.replicas).toBe(2);
    expect(compose.services.server!.ports ?? []).toEqual([]);
    expect(compose.services.worker!.ports ?? []).toEqual([]);
    const proxy = compose.services.proxy!;
    expect(proxy.ports).toEqual(['3000:80']);
    expect(proxy.depends_on).toHaveProperty('server');
    const mounted = proxy.volumes!.map((v) => v.split(':')[0]!);
    const conf = readFileSync(new URL(`../../${mounted[0]!.replace(/^\.\//, '')}`, import.meta.url), 'utf8');
    // Every request and WebSocket upgrade goes to the server replicas, followed through Docker's DNS.
    expect(conf).toMatch(/server server:3000 resolve;/);
    expect(conf).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(conf).toMatch(/client_max_body_size 200m;/);
  });

  it('routes socket.io stickily: every request of a long-polling session reaches the replica that holds it', () => {
    const conf = readFileSync(new URL('../../deploy/nginx.conf', import.meta.url), 'utf8');
    const block = (head: string) => {
      const start = conf.indexOf(`${head} {`);
      expect(start, head).toBeGreaterThan(-1);
      return conf.slice(start, conf.indexOf('}', start));
    };
    const upstream = /proxy_pass http:\/\/(\w+);/.exec(block('location /socket.io/'))?.[1];
    expect(upstream).toBeDefined();
    expect(block('location /socket.io/')).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    const balancing = block(`upstream ${upstream}`);
    expect(balancing).toMatch(/server server:3000 resolve;/);
    // A hash of a key the client sends with every socket.io request (its address where there is none).
    const key = /hash \$(\w+) consistent;/.exec(balancing)?.[1];
    expect(key).toBeDefined();
    expect(Object.keys(liveSocketOptions('token').query)).toEqual([STICKY_PARAM]);
    const map = block(`map $arg_${STICKY_PARAM} $${key}`);
    expect(map).toMatch(/''\s+\$remote_addr;/);
    expect(map).toMatch(new RegExp(`default\\s+\\$arg_${STICKY_PARAM};`));
  });

  it('trusts X-Forwarded-For from exactly its nginx, at a fixed address Docker never hands out, which sends only the client’s address', () => {
    const proxyAddress = compose.services.proxy!.networks?.default?.ipv4_address;
    expect(proxyAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(compose.services.server!.environment?.TRUST_PROXY).toBe(`\${TRUST_PROXY:-${proxyAddress}}`);
    const [pool] = compose.networks!.default!.ipam!.config!;
    expect(inSubnet(proxyAddress!, pool!.subnet)).toBe(true);
    expect(inSubnet(proxyAddress!, pool!.ip_range!)).toBe(false);
    const conf = readFileSync(new URL('../../deploy/nginx.conf', import.meta.url), 'utf8');
    expect(conf).toMatch(/proxy_set_header X-Forwarded-For \$remote_addr;/);
  });
});

function inSubnet(address: string, cidr: string): boolean {
  const [network, bits] = cidr.split('/');
  const list = new BlockList();
  list.addSubnet(network!, Number(bits));
  return list.check(address);
}
