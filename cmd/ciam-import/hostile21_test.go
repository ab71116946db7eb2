package main

// hostileCases21 are the cases of issue 21 landed after hostileCases:
// credentials, transforms, signals, parent symlinks, lookups and queries.
func hostileCases21() []hostileCase {
	var cs []hostileCase
	cs = append(cs, credentialCases()...)
	cs = append(cs, transformCases()...)
	cs = append(cs, signalCases()...)
	cs = append(cs, lookupCases()...)
	cs = append(cs, pathCases()...)
	return cs
}
