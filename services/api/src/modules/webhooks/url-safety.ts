import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { Problems } from '../../errors/problems.ts';

/** Where deliveries may go: loopback and private networks only when the operator allows them. */
export type AddressPolicy = { allowPrivate: boolean };

/**
 * Cloud metadata services reachable outside the link-local range, refused whatever the policy:
 * AWS's IPv6 instance metadata (inside fd00::/8, a private range) and Alibaba Cloud's (inside
 * 100.64.0.0/10, carrier-grade NAT).
 */
const metadataAddresses = new Set(['fd00:ec2::254', '100.100.100.200']);

/** Ranges a private deployment may legitimately deliver to (with TALLY_WEBHOOK_ALLOW_PRIVATE=1). */
const privateRanges = new Set(['loopback', 'private', 'uniqueLocal', 'carrierGradeNat']);

/**
 * Why deliveries may not go to `address` (an IP address, as resolved), or undefined when they
 * may. Only public unicast addresses are allowed; loopback and private ranges with `allowPrivate`;
 * link-local (169.254.0.0/16, fe80::/10 — where cloud metadata lives) and the metadata addresses
 * above never. IPv4-mapped IPv6 (`::ffff:169.254.169.254`) is judged as the IPv4 address it holds,
 * and other IPv6 forms that embed an IPv4 address (6to4, NAT64, Teredo) are not unicast, so refused.
 */
export function refusedAddress(address: string, policy: AddressPolicy): string | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address);
  } catch {
    return `${address} is not an IP address`;
  }
  const normal = parsed.toNormalizedString();
  const range = parsed.range();
  if (range === 'linkLocal' || metadataAddresses.has(normal) || metadataAddresses.has(parsed.toString())) {
    return `${address} is a link-local or cloud metadata address; webhooks are never delivered there`;
  }
  if (range === 'unicast') return undefined;
  if (privateRanges.has(range)) {
    return policy.allowPrivate ? undefined : `${address} is a ${range} address; webhooks go to private networks only with TALLY_WEBHOOK_ALLOW_PRIVATE=1`;
  }
  return `${address} is a ${range} address; webhooks are delivered to public unicast addresses only`;
}

/**
 * Problems of an endpoint URL, under `field`: absolute http(s), no credentials, `https` unless the
 * environment is a development one, and not an IP literal the policy refuses. A host name is
 * checked when a delivery connects, against the address it then resolves to (DNS can change).
 */
export function endpointUrlProblems(url: string, field: string, httpAllowed: boolean, policy: AddressPolicy): Problems {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { [field]: 'must be an absolute URL such as https://example.com/webhooks' };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return { [field]: `must be an http or https URL, not ${parsed.protocol}` };
  if (parsed.protocol === 'http:' && !httpAllowed) return { [field]: 'must use https in a production environment (http is allowed in development environments)' };
  if (parsed.username || parsed.password) return { [field]: 'must not contain a user name or password' };
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host)) {
    const refused = refusedAddress(host, policy);
    if (refused) return { [field]: `points at ${refused}` };
  }
  return {};
}
