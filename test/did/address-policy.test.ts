import t from 'tap'
import { classifyAddress } from '../../src/did/address-policy.js'
import { parseIpAddress } from '../../src/did/ip-address.js'

const cases: Array<[string, string | undefined]> = [
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['::1', 'loopback'],
  ['10.0.0.0', 'private'],
  ['10.255.255.255', 'private'],
  ['172.16.0.0', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.0.1', 'private'],
  ['169.254.0.1', 'link-local'],
  ['fe80::1', 'link-local'],
  ['febf:ffff::1', 'link-local'],
  ['fc00::1', 'unique-local'],
  ['fdff:ffff::1', 'unique-local'],
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['::', 'unspecified'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.255', 'multicast'],
  ['ff02::1', 'multicast'],
  ['169.254.169.254', 'metadata'],
  ['fd00:ec2::254', 'metadata'],
  ['100.100.100.200', 'metadata'],
  ['100.64.0.1', 'reserved'],
  ['255.255.255.255', 'reserved'],
  ['192.0.2.1', 'reserved'],
  ['2001:db8::1', 'reserved'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['::ffff:10.1.1.1', 'private'],
  ['::ffff:169.254.169.254', 'metadata'],
  ['::ffff:0.0.0.0', 'unspecified'],
  ['64:ff9b::10.0.0.1', 'private'],
  ['2002:c0a8:0101::1', 'private'],
  ['::127.0.0.1', 'reserved'],
  ['fe80::1%eth0', 'link-local'],
  ['not an address', 'reserved'],
  ['8.8.8.8', undefined],
  ['172.15.255.255', undefined],
  ['172.32.0.0', undefined],
  ['11.0.0.1', undefined],
  ['192.169.0.1', undefined],
  ['2606:4700::1111', undefined],
  ['::ffff:8.8.8.8', undefined],
  ['64:ff9b::8.8.8.8', undefined],
]

for (const [address, expected] of cases) {
  t.test(`${address} is ${expected ?? 'public'}`, async (t) => {
    t.equal(classifyAddress(address), expected)
  })
}

t.test('IPv6 parsing', async (t) => {
  t.same([...(parseIpAddress('::1') ?? [])], [...new Array(15).fill(0), 1])
  t.same([...(parseIpAddress('[2001:db8::ff00:42:8329]') ?? [])].slice(10), [0xff, 0x00, 0x00, 0x42, 0x83, 0x29])
  t.same([...(parseIpAddress('::ffff:1.2.3.4') ?? [])].slice(10), [0xff, 0xff, 1, 2, 3, 4])
  t.same([...(parseIpAddress('1:2:3:4:5:6:7:8') ?? [])].slice(0, 4), [0, 1, 0, 2])
  t.equal(parseIpAddress('1::2::3'), undefined)
  t.equal(parseIpAddress('1:2:3:4:5:6:7:8:9'), undefined)
  t.equal(parseIpAddress('localhost'), undefined)
})
