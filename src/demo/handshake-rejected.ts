/** Error of a connector check that failed; the message is the reason a connector logs. */
export class HandshakeRejected extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'HandshakeRejected'
  }
}
