import Fastify from 'fastify'
import formbody from '@fastify/formbody'
import { generateKeyPairSync, sign } from 'node:crypto'
import { Worker } from 'node:worker_threads'
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const key = { key: privateKey, dsaEncoding: 'ieee-p1363' }
const app = Fastify({ logger: false })
await app.register(formbody)
const mode = process.env.MODE
const worker = new Worker(`
const { parentPort } = require('node:worker_threads'); const { sign } = require('node:crypto'); let key
parentPort.on('message', (m) => {
  if (m.key) { key = { key: m.key, dsaEncoding: 'ieee-p1363' }; return }
  const out = Buffer.allocUnsafe(m.inputs.length * 64)
  for (let i = 0; i < m.inputs.length; i++) sign('sha256', Buffer.from(m.inputs[i], 'latin1'), key).copy(out, i * 64)
  parentPort.postMessage({ ids: m.ids, out }, [out.buffer])
})`, { eval: true })
worker.postMessage({ key: privateKey })
worker.unref()
let nextId = 0; const waiting = new Map(); let batch = null
worker.on('message', ({ ids, out }) => { const b = Buffer.from(out.buffer, out.byteOffset, out.byteLength); for (let i = 0; i < ids.length; i++) { const r = waiting.get(ids[i]); waiting.delete(ids[i]); r(b.subarray(i * 64, i * 64 + 64)) } })
function workerSign(input) {
  return new Promise((resolve) => {
    const id = nextId++; waiting.set(id, resolve)
    if (batch === null) { batch = { ids: [], inputs: [] }; setImmediate(() => { const b = batch; batch = null; worker.postMessage(b) }) }
    batch.ids.push(id); batch.inputs.push(input)
  })
}
app.post('/sts/token', async (req) => {
  const text = JSON.stringify(req.body).repeat(2)
  const input = Buffer.from(text, 'latin1')
  let sig = ''
  if (mode === 'inline') sig = sign('sha256', input, key).toString('base64url')
  else if (mode === 'pool') sig = (await new Promise((res, rej) => sign('sha256', input, key, (e, s) => (e ? rej(e) : res(s))))).toString('base64url')
  else if (mode === 'worker') sig = (await workerSign(text)).toString('base64url')
  return { access_token: input.toString('base64url') + sig, token_type: 'Bearer', expires_in: 300 }
})
await app.listen({ port: 18181, host: '127.0.0.1' })
