import { describe, expect, it } from 'vitest';
import { endpointUrlProblems, refusedAddress } from './url-safety.ts';

const open = { allowPrivate: true };
const closed = { allowPrivate: false };

describe('refusedAddress', () => {
  it.each(['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111'])('allows the public unicast address %s', (address) => {
    expect(refusedAddress(address, closed)).toBeUndefined();
  });

  it.each(['169.254.169.254', '169.254.0.1', '::ffff:169.254.169.254', 'fe80::1', 'fd00:ec2::254', '100.100.100.200'])(
    'never allows the link-local or metadata address %s, even when private networks are allowed',
    (address) => {
      expect(refusedAddress(address, open)).toMatch(/link-local or cloud metadata/);
      expect(refusedAddress(address, closed)).toMatch(/link-local or cloud metadata/);
    },
  );

  it.each(['127.0.0.1', '::1', '10.1.2.3', '172.16.0.1', '192.168.1.1', 'fd12::1', '100.64.0.1', '::ffff:127.0.0.1'])(
    'allows the loopback or private address %s only with TALLY_WEBHOOK_ALLOW_PRIVATE',
    (address) => {
      expect(refusedAddress(address, open)).toBeUndefined();
      expect(refusedAddress(address, closed)).toMatch(/TALLY_WEBHOOK_ALLOW_PRIVATE=1/);
    },
  );

  it.each(['0.0.0.0', '::', '224.0.0.1', '255.255.255.255', '2002:a9fe:a9fe::1', '64:ff9b::a9fe:a9fe'])(
    'refuses %s (not unicast, or an IPv4 address in disguise) whatever the policy',
    (address) => {
      expect(refusedAddress(address, open)).toMatch(/public unicast addresses only/);
    },
  );
});

describe('endpointUrlProblems', () => {
  it('wants https in production and allows http in development', () => {
    expect(endpointUrlProblems('https://hooks.example.com/x', 'url', false, closed)).toEqual({});
    expect(endpointUrlProblems('http://hooks.example.com/x', 'url', true, closed)).toEqual({});
    expect(endpointUrlProblems('http://hooks.example.com/x', 'url', false, closed)).toEqual({
      url: 'must use https in a production environment (http is allowed in development environments)',
    });
  });

  it('refuses other schemes, relative URLs and credentials', () => {
    expect(endpointUrlProblems('ftp://example.com/', 'url', true, closed)).toEqual({ url: 'must be an http or https URL, not ftp:' });
    expect(endpointUrlProblems('/hooks', 'url', true, closed)).toEqual({ url: 'must be an absolute URL such as https://example.com/webhooks' });
    expect(endpointUrlProblems('https://user:pw@example.com/', 'url', true, closed)).toEqual({ url: 'must not contain a user name or password' });
  });

  it('refuses an IP literal the policy refuses, bracketed IPv6 included', () => {
    expect(endpointUrlProblems('http://169.254.169.254/latest/meta-data', 'url', true, open).url).toMatch(/link-local or cloud metadata/);
    expect(endpointUrlProblems('http://[fe80::1]:8080/', 'url', true, open).url).toMatch(/link-local/);
    expect(endpointUrlProblems('http://127.0.0.1:9000/', 'url', true, closed).url).toMatch(/loopback address/);
    expect(endpointUrlProblems('http://127.0.0.1:9000/', 'url', true, open)).toEqual({});
  });
});
