"""Sync with the street office on a USB stick: the package, its crypto and codec, and the merge.

crypto    the street's key as packages use it: signing, encryption, fingerprint
keyfile   the key file a community takes from the street
codec     which tables travel, and each column's value as exact text
package   the package file: table CSVs and a signed manifest in a zip, encrypted
decode    open a package, check all of it, decode every row (before anything is written)
outgoing  which rows a package carries (up or down), encoded and sealed
merge     plan a verified package against a session, and write it (and a person's decision on a conflict)
ownership who owns each synced table's rows, and the checks a plan passes before anything is written
handover  a member moving between two communities: the 转出 and the 转入 both ends record
trail     what a merge changed, row by row, in the audit trail

This layer works on sessions and connections handed to it; it knows nothing of
users, permissions or the unit of work (those are services.sync) and never imports Qt.
"""
