#!/usr/bin/env bash
# Installs moto (PyPI) into its own virtual environment and starts its server mode on loopback
# as the KMS emulator of the key tests. Idempotent: a server already answering on the port is
# kept. Prints the endpoint; export it as KMS_TEST_ENDPOINT.
#
# moto 5.2.5 supports ECC_NIST_P256 keys with ECDSA_SHA_256 Sign, Encrypt/Decrypt, aliases,
# tags and ScheduleKeyDeletion. It has no ECC_NIST_EDWARDS25519 key spec and treats
# MessageType DIGEST like RAW, so those two paths are not covered by the emulator.
set -euo pipefail

moto_version='5.2.5'
port="${KMS_EMULATOR_PORT:-4599}"
home="${KMS_EMULATOR_HOME:-/opt/dcp-kms-emulator}"
endpoint="http://127.0.0.1:${port}"

answers() {
  # ListKeys signed for the kms service is enough for moto to route the call and reply 200.
  curl -fs -m 2 -o /dev/null -X POST "$endpoint/" \
    -H 'Content-Type: application/x-amz-json-1.1' \
    -H 'X-Amz-Target: TrentService.ListKeys' \
    -H 'Authorization: AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=0' \
    -d '{}'
}

if answers; then
  echo "KMS emulator already answering at $endpoint" >&2
  echo "$endpoint"
  exit 0
fi

if [ "$("$home/venv/bin/python" -c 'import moto; print(moto.__version__)' 2>/dev/null || true)" != "$moto_version" ]; then
  echo "installing moto[server]==$moto_version into $home/venv" >&2
  mkdir -p "$home"
  python3 -m venv "$home/venv"
  "$home/venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$moto_version"
fi

echo "starting moto_server on 127.0.0.1:$port (log: $home/moto.log)" >&2
setsid "$home/venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$home/moto.log" 2>&1 < /dev/null &
echo $! >"$home/moto.pid"

for _ in $(seq 1 60); do
  if answers; then
    echo "$endpoint"
    exit 0
  fi
  sleep 0.5
done
echo "KMS emulator did not answer at $endpoint within 30 s; see $home/moto.log" >&2
exit 1
