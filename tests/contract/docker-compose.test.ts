import { readFileSync } from 'node:fs';
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
};
const scripts = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> })
  .scripts;

/** The npm script a command runs (`npm run X` / `npm start`), if it is one. */
function npmScript(command: string[]): string | null {
  if (command[0] !== 'npm') return null;
  if (command[1] === 'start') return 'start';
  return command[1] === 'run' ? (command.find((part, i) => i > 1 && !part.startsWith('-')) ?? null) : null;
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
  });

  it('runs only commands that package.json defines, against the compose Redis', () => {
    for (const name of ['server', 'worker'] as const) {
      const service = compose.services[name]!;
      for (const command of [service.command!, service.healthcheck!.test.slice(1)]) {
        const script = npmScript(command);
        expect(script, `${name}: ${command.join(' ')}`).not.toBeNull();
        expect(scripts[script!], `package.json has "${script}"`).toBeDefined();
      }
      expect(service.environment?.REDIS_URL).toBe('redis://redis:6379');
      expect(service.depends_on).toHaveProperty('redis');
    }
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
