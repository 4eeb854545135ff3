import type { LookupAddress } from 'node:dns'
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import type { Test } from 'tap'
import type { HostLookup } from '../../src/did/bounded-lookup.js'
import type { TestCertificate } from './self-signed-certificate.js'

/** A local server on 127.0.0.1 that records the path of every request it receives. */
export interface TestServer {
  port: number
  /** Paths of the requests received, in order. */
  requests: string[]
}

export type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void

/**
 * Starts an http server, or an https server when a certificate is given, on 127.0.0.1 and closes
 * it with every open connection when the test ends, so servers that never respond do not linger.
 */
export async function startServer(t: Test, handler: Handler, certificate?: TestCertificate): Promise<TestServer> {
  const requests: string[] = []
  const listener: Handler = (request, response) => {
    requests.push(request.url ?? '')
    handler(request, response)
  }
  const server = certificate === undefined ? http.createServer(listener) : https.createServer(certificate, listener)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.closeAllConnections()
    return new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return { port: (server.address() as AddressInfo).port, requests }
}

/** Returns a handler that responds to every request with the JSON body and status given. */
export function json(body: unknown, status = 200, contentType = 'application/did+json'): Handler {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': contentType })
    response.end(JSON.stringify(body))
  }
}

/** Builds a DNS stand-in that returns addresses from a table and records every name it resolves. */
export function fakeLookup(table: Record<string, string[]>): HostLookup & { names: string[] } {
  const names: string[] = []
  const lookup = async (hostname: string): Promise<readonly LookupAddress[]> => {
    names.push(hostname)
    const addresses = table[hostname]
    if (addresses === undefined) throw Object.assign(new Error(`no entry for ${hostname}`), { code: 'ENOTFOUND' })
    return addresses.map((address) => ({ address, family: net.isIP(address) }))
  }
  return Object.assign(lookup, { names })
}

/**
 * Replaces `net.Socket.prototype.connect` for one test. The replacement records every connection
 * attempt and lets through only those to a host in `allowedHosts`. Any other attempt fails before
 * a packet is sent, and tests of rejections assert that no attempt was made at all.
 */
export function spyOnConnect(t: Test, allowedHosts: readonly string[] = []): { hosts: string[] } {
  const hosts: string[] = []
  const original = net.Socket.prototype.connect
  const spy = function (this: net.Socket, ...args: unknown[]): net.Socket {
    const [first] = args
    const host = typeof first === 'object' && first !== null ? String((first as { host?: unknown }).host) : 'unknown'
    hosts.push(host)
    if (allowedHosts.includes(host)) return (original as (...rest: unknown[]) => net.Socket).apply(this, args)
    process.nextTick(() => this.destroy(new Error(`connection to ${host} blocked by the test`)))
    return this
  }
  net.Socket.prototype.connect = spy as typeof original
  t.teardown(() => {
    net.Socket.prototype.connect = original
  })
  return { hosts }
}
