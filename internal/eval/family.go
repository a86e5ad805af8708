package eval

import (
	"fmt"
	"strings"
)

// Family is the generation parameters of one kind of world. Rates per size bucket
// are in schemas.SizeBuckets order (1-10, 11-50, 51-200, 201-1000, 1000+).
type Family struct {
	Name string
	// Salt is mixed into the seed, so that one seed gives each family its own world.
	Salt uint64
	// Vocabulary picks the paraphrases and technographic labels of the signals.
	Vocabulary Vocabulary

	// RateScale multiplies every category's base rate of in-market companies.
	RateScale float64
	// SizeMix is the size distribution given to clones and to profiles without a
	// head count; ResizeOriginals is the share of the other real profiles whose head
	// count is drawn from it too.
	SizeMix         [5]float64
	ResizeOriginals float64

	// SurgeWeeks is the range of the number of last weeks an in-market company's
	// buying signals fall in.
	SurgeWeeks [2]int
	// IntentSignals is the mean number of buying signals of an in-market company
	// (at least 2 are emitted), JobShare the share of them that are job posts and
	// SiteShare the share that are pages on its site; the rest are research
	// activity.
	IntentSignals [5]float64
	JobShare      [5]float64
	SiteShare     float64
	// TechRemovalRate is the chance that an in-market company removes the product
	// it runs today during its surge.
	TechRemovalRate float64
	// CanonicalShare is the share of buying signals that name the category with
	// its plain name, VendorOnlyShare the share that name only vendors; the rest
	// use a paraphrase.
	CanonicalShare  float64
	VendorOnlyShare float64
	// WhisperRate is the chance that an in-market company looked the category up
	// once, 5 to 10 weeks before its surge.
	WhisperRate float64

	// Background noise of every company, in events per week: job posts about
	// other things, generic pages of its site and page views on random topics.
	NoiseJobs  [5]float64
	NoisePages [5]float64
	NoiseViews [5]float64
	// TopicNoise is the chance that a background page view is about a category.
	TopicNoise float64

	// SkillDecoyRate is the chance, per company and category it is not in the
	// market for, that the company runs a vendor of the category happily and posts
	// jobs that require it. SteadyDecoyRate is the chance that it shows the same
	// interest in the category every week of the world.
	SkillDecoyRate  float64
	SteadyDecoyRate float64
}

// Family names.
const (
	FamilyStandard = "standard"
	FamilyHeldout  = "heldout"
)

// Standard is the family the model is tuned on.
func Standard() Family {
	return Family{
		Name:            FamilyStandard,
		Salt:            0x5eed0001,
		Vocabulary:      VocabularyStandard,
		RateScale:       1,
		SizeMix:         [5]float64{0.15, 0.29, 0.26, 0.16, 0.14},
		SurgeWeeks:      [2]int{2, 4},
		IntentSignals:   [5]float64{3, 4, 5, 6.5, 8},
		JobShare:        [5]float64{0.15, 0.25, 0.3, 0.35, 0.4},
		SiteShare:       0.15,
		TechRemovalRate: 0.4,
		CanonicalShare:  0.35,
		VendorOnlyShare: 0.25,
		WhisperRate:     0.3,
		NoiseJobs:       [5]float64{0.04, 0.12, 0.3, 0.7, 1.5},
		NoisePages:      [5]float64{0.05, 0.08, 0.12, 0.18, 0.25},
		NoiseViews:      [5]float64{0.3, 0.5, 0.8, 1.2, 1.8},
		TopicNoise:      0.15,
		SkillDecoyRate:  0.02,
		SteadyDecoyRate: 0.012,
	}
}

// Heldout is the family the model is never tuned on: other paraphrases, fewer and
// shorter surges, more noise and decoys, and smaller companies.
func Heldout() Family {
	return Family{
		Name:            FamilyHeldout,
		Salt:            0x4e1d0002,
		Vocabulary:      VocabularyHeldout,
		RateScale:       0.9,
		SizeMix:         [5]float64{0.25, 0.35, 0.2, 0.12, 0.08},
		ResizeOriginals: 0.5,
		SurgeWeeks:      [2]int{2, 3},
		IntentSignals:   [5]float64{2.5, 3.5, 4.5, 6, 7.5},
		JobShare:        [5]float64{0.1, 0.2, 0.3, 0.35, 0.45},
		SiteShare:       0.12,
		TechRemovalRate: 0.35,
		CanonicalShare:  0.25,
		VendorOnlyShare: 0.3,
		WhisperRate:     0.4,
		NoiseJobs:       [5]float64{0.06, 0.17, 0.42, 1, 2.1},
		NoisePages:      [5]float64{0.07, 0.1, 0.16, 0.23, 0.33},
		NoiseViews:      [5]float64{0.45, 0.75, 1.2, 1.8, 2.7},
		TopicNoise:      0.2,
		SkillDecoyRate:  0.025,
		SteadyDecoyRate: 0.015,
	}
}

// Families returns every family, standard first.
func Families() []Family { return []Family{Standard(), Heldout()} }

// FamilyByName returns the family called name.
func FamilyByName(name string) (Family, error) {
	var names []string
	for _, f := range Families() {
		if f.Name == name {
			return f, nil
		}
		names = append(names, f.Name)
	}
	return Family{}, fmt.Errorf("unknown world family %q: want one of %s", name, strings.Join(names, ", "))
}
