#!/usr/bin/env bash
# Creates (or updates) one Tally device in Mosquitto's dynamic-security plugin, with the rules the cloud's embedded
# broker enforces: username = device id, client id bound to `tally-edge-<deviceId>` (any other is refused), publish
# only the device → cloud channels under `tally/v1/<deviceId>/`, subscribe only to its own cloud → device channels.
#
#   MOSQ_CTRL="-h broker.example.com -p 8883 --cafile ca.pem -u admin -P <admin password>" \
#     scripts/mosquitto-dynsec-device.sh <deviceId> <password from the provisioning answer>
#
# Exit 0 done, 2 bad input. Safe to run again (e.g. after a credential rotation: it sets the new password).
set -uo pipefail

if [ $# -ne 2 ]; then
  echo "usage: MOSQ_CTRL='<mosquitto_ctrl connection options>' $0 <deviceId> <password>" >&2
  echo "hint: the device id and password are in the answer of POST /api/provision or /api/devices/<id>/credentials" >&2
  exit 2
fi
D="$1"
PW="$2"
if ! [[ "$D" =~ ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$ ]]; then
  echo "invalid device id '$D': letters, digits, _ . - (at most 64)" >&2
  exit 2
fi
read -r -a CONN <<<"${MOSQ_CTRL:-}"
ctl() { mosquitto_ctrl "${CONN[@]}" dynsec "$@"; }
# Creation steps may already be done (a rerun): their "already exists" answers are not errors.
quiet() { ctl "$@" >/dev/null 2>&1 || true; }

set -e
quiet createClient "$D" -c "tally-edge-$D" -p "$PW"
ctl setClientPassword "$D" "$PW" >/dev/null
ctl setClientId "$D" "tally-edge-$D" >/dev/null
quiet createRole "tally-$D"
for ch in events buckets occupancy heartbeat status config/applied commands/result; do
  quiet addRoleACL "tally-$D" publishClientSend "tally/v1/$D/$ch" allow
done
for ch in config commands ack credentials; do
  quiet addRoleACL "tally-$D" subscribeLiteral "tally/v1/$D/$ch" allow
  quiet addRoleACL "tally-$D" publishClientReceive "tally/v1/$D/$ch" allow
done
quiet addClientRole "$D" "tally-$D"
ctl getClient "$D" | grep -q "tally-edge-$D" || { echo "client $D was not bound to its client id" >&2; exit 1; }
echo "device $D: client id tally-edge-$D, topics tally/v1/$D/"
