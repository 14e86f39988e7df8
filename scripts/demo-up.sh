#!/usr/bin/env bash
# Creates the demo firewall through the REST API, brings up the lab with its workers and an HTTP
# server in the server namespace, and prints how to use them. Called by `make run`.
# Needs: RAMPART (binary dir), API (http://host:port), STATE_DIR, LAB (prefix), WORKERS.
set -euo pipefail
TOKEN=$(cat "$STATE_DIR/admin.token")
api() { curl -sS -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }

if ! api -f "$API/v1/firewalls/demo" >/dev/null 2>&1; then
  group=$(api -f -X POST "$API/v1/rule-groups" -d '{
    "RuleGroupName": "demo-web", "Type": "STATEFUL", "Capacity": 100,
    "RuleGroup": {"RulesSource": {"RulesString": "drop tcp $HOME_NET any -> any 8080 (msg:\"demo: port 8080 is blocked\"; sid:1001; rev:1;)"}}}')
  group_arn=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["RuleGroupResponse"]["RuleGroupArn"])' <<<"$group")
  policy=$(api -f -X POST "$API/v1/firewall-policies" -d '{
    "FirewallPolicyName": "demo",
    "FirewallPolicy": {
      "StatelessDefaultActions": ["aws:forward_to_sfe"], "StatelessFragmentDefaultActions": ["aws:forward_to_sfe"],
      "StatefulRuleGroupReferences": [{"ResourceArn": "'"$group_arn"'"}],
      "PolicyVariables": {"RuleVariables": {"HOME_NET": {"Definition": ["198.18.0.0/24"]}}}}}')
  policy_arn=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["FirewallPolicyResponse"]["FirewallPolicyArn"])' <<<"$policy")
  api -f -X POST "$API/v1/firewalls" -d '{"FirewallName": "demo", "FirewallPolicyArn": "'"$policy_arn"'"}' >/dev/null
fi

"$RAMPART/rampart" lab up --prefix "$LAB" --control "$STATE_DIR/rampart.sock" --firewall demo \
  --workers "$WORKERS" --run-dir "$STATE_DIR/lab"
mkdir -p "$STATE_DIR/www" && echo "hello from the lab server" > "$STATE_DIR/www/index.html"
# A plain threaded HTTP server: `python3 -m http.server --bind` looks its own name up in DNS,
# which has no answer inside the lab and delays the start by seconds.
serve='import functools, http.server, socketserver, sys
socketserver.ThreadingTCPServer.allow_reuse_address = True
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[2])
socketserver.ThreadingTCPServer(("198.19.0.2", int(sys.argv[1])), handler).serve_forever()'
: > "$STATE_DIR/demo-http.pid"
for port in 80 8080; do
  ip netns exec "$LAB-server" python3 -c "$serve" "$port" "$STATE_DIR/www" >> "$STATE_DIR/demo-http.log" 2>&1 &
  echo $! >> "$STATE_DIR/demo-http.pid"
done
for _ in $(seq 1 50); do
  listening=$(ip netns exec "$LAB-server" ss -ltnH 2>/dev/null | grep -cE '198\.19\.0\.2:(80|8080) ' || true)
  [ "$listening" -ge 2 ] && break
  sleep 0.1
done

cat <<INFO

Rampart is running.
  API          $API   (state in $STATE_DIR, log $STATE_DIR/rampart.log)
  admin token  $TOKEN
  lab          client $LAB-client 198.18.0.2  ->  firewall $LAB-fw  ->  server $LAB-server 198.19.0.2 (HTTP on 80 and 8080)
  EVE log      $STATE_DIR/lab/eve.json

Try it:
  export API=$API TOKEN=$TOKEN LAB=$LAB
  ip netns exec $LAB-client curl -s http://198.19.0.2/             # allowed
  ip netns exec $LAB-client curl -m 3 http://198.19.0.2:8080/      # dropped: times out (exit 28)
  tail -n 2 $STATE_DIR/lab/eve.json                                 # the drop and alert events
  curl -s -H "Authorization: Bearer \$TOKEN" \$API/v1/firewalls/demo  # IN_SYNC once both workers applied the snapshot
INFO
