"""Sync with the street office on a USB stick.

keys        the street's key: made once at the street, taken by each community
package     the package file: table CSVs and a signed manifest in a zip, encrypted
export      a community's package of what changed since the street last confirmed
merge       verify a package whole, then merge it in one transaction
downstream  the street's package back to one community: org tree, reference lists,
            corrections and confirmations

Services and the GUI reach sync through these modules; sync never imports Qt.
"""
