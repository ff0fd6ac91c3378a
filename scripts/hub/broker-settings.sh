#!/bin/sh
# Adds the hub's address settings to an Artemis instance's etc/broker.xml (once; run again, it
# changes nothing). Used by `./hub start` and by the build's cluster ITs, so both brokers match.
# For a broker of your own, copy the <address-setting> below into its broker.xml (README,
# "Running on an existing Artemis").
#   hub.#  the topic (hub.events), the ingress queue (hub.events.in) and the nodes' durable
#          subscriptions (queues hub-<node>.hub-<node> on the topic's address):
#   - an event is redelivered until it is handled (no dead-letter copy, never dropped after N tries);
#   - expired events (older than hub.relay.retention, set as their time-to-live) are deleted, not
#     moved to ExpiryQueue, so a subscription whose node is gone keeps only recent events;
#   - a durable subscription without a consumer for 10 minutes is deleted with what it holds:
#     a node gone for good leaves nothing behind;
#   - channels are hashed into 4,096 message groups on the ingress queue: the broker's group map
#     stays bounded however many channels are used, and one channel is still one group.
set -eu
xml=${1:?usage: broker-settings.sh INSTANCE/etc/broker.xml}
grep -q '<address-setting match="hub.#">' "$xml" && exit 0
tmp=$xml.tmp
awk '
  /<address-settings>/ && !done {
    print
    print "         <!-- realtime-hub: see scripts/hub/broker-settings.sh -->"
    print "         <address-setting match=\"hub.#\">"
    print "            <dead-letter-address></dead-letter-address>"
    print "            <max-delivery-attempts>-1</max-delivery-attempts>"
    print "            <expiry-address></expiry-address>"
    print "            <auto-create-queues>true</auto-create-queues>"
    print "            <auto-create-addresses>true</auto-create-addresses>"
    print "            <auto-delete-created-queues>true</auto-delete-created-queues>"
    print "            <auto-delete-queues-delay>600000</auto-delete-queues-delay>"
    print "            <auto-delete-queues-message-count>-1</auto-delete-queues-message-count>"
    print "            <default-group-buckets>4096</default-group-buckets>"
    print "         </address-setting>"
    done = 1
    next
  }
  { print }
' "$xml" >"$tmp"
grep -q '<address-setting match="hub.#">' "$tmp" || { rm -f "$tmp"; echo "no <address-settings> in $xml" >&2; exit 1; }
mv "$tmp" "$xml"
