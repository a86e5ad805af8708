package demo

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"

	"github.com/leadpoet/leadpoet/schemas"
)

// The contacts of the demo data set are generated, not real: names are drawn from the
// lists below, e-mail addresses are first.last@<company domain>, and phone numbers lie in
// the +1-555-0100 to +1-555-0199 block that is reserved for fiction.
var (
	firstNames = []string{
		"Aisha", "Alex", "Amelia", "Ana", "Ben", "Carlos", "Chen", "Chloe", "Daniel", "David",
		"Elena", "Emma", "Fatima", "Gabriel", "Grace", "Hana", "Hugo", "Isabel", "James", "Jonas",
		"Julia", "Kenji", "Laura", "Leila", "Liam", "Lucas", "Maria", "Mateo", "Maya", "Mei",
		"Nadia", "Noah", "Olivia", "Omar", "Priya", "Rafael", "Ravi", "Sara", "Sofia", "Tom",
		"Yara", "Zoe",
	}
	lastNames = []string{
		"Adams", "Ahmed", "Almeida", "Andersen", "Becker", "Brown", "Castro", "Chen", "Clarke",
		"Costa", "Dubois", "Evans", "Fischer", "Garcia", "Gupta", "Hansen", "Hughes", "Ito",
		"Jensen", "Kim", "Kowalski", "Lopez", "Martin", "Meyer", "Moreau", "Nakamura", "Novak",
		"Okafor", "Olsen", "Patel", "Pereira", "Rossi", "Santos", "Schmidt", "Silva", "Singh",
		"Tanaka", "Walker", "Wang", "Weber", "Williams", "Young",
	}
	// buyerTitles are the roles that buy B2B software.
	buyerTitles = []string{
		"CEO", "CTO", "COO", "CFO", "VP Engineering", "VP Sales", "Head of Marketing",
		"Head of Customer Support", "Head of People", "IT Director", "CISO", "Head of Data",
		"VP Operations", "Head of E-commerce", "General Counsel",
	}
)

// domainHash is the stable 64-bit FNV-1a hash of a domain.
func domainHash(domain string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(domain))
	return h.Sum64()
}

// generateContacts returns 2–4 made-up people at the company, with distinct buyer
// titles. They depend on the domain only, so they are the same for every seed.
func generateContacts(domain string) []schemas.Contact {
	rng := rand.New(rand.NewPCG(domainHash(domain), 0x636f6e7461637473)) // "contacts"
	n := 2 + rng.IntN(3)
	titles := rng.Perm(len(buyerTitles))[:n]
	out := make([]schemas.Contact, 0, n)
	used := make(map[string]bool, n)
	for _, ti := range titles {
		first, last := firstNames[rng.IntN(len(firstNames))], lastNames[rng.IntN(len(lastNames))]
		for used[first+" "+last] {
			last = lastNames[rng.IntN(len(lastNames))]
		}
		used[first+" "+last] = true
		out = append(out, schemas.Contact{
			Name:  first + " " + last,
			Title: buyerTitles[ti],
			Email: strings.ToLower(first+"."+last) + "@" + domain,
			Phone: fmt.Sprintf("+1-555-01%02d", rng.IntN(100)),
		})
	}
	return out
}
