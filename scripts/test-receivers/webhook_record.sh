#!/bin/sh
# The command Debian's `webhook` (adnanh) runs for a request whose X-Incidentd-Signature it
# verified (Tests/APITests/Support/NotificationReceivers.swift): appends the request's
# webhook-id ($2) to the log file $1 and says so in the response.
printf '%s\n' "$2" >>"$1"
echo "recorded $2"
