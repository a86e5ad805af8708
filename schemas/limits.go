package schemas

import "math"

// Field limits of wire contract v1. String lengths count Unicode characters of the
// value as sent, before surrounding white space is trimmed, as JSON Schema's
// maxLength does. A longer value is rejected with CodeBadValue (CodeBadDomain for
// domain).
const (
	// MaxIDChars bounds event_id and query_id.
	MaxIDChars = 128
	// MaxShortTextChars bounds names, titles and labels: source, company_name,
	// industry, the location parts, contact fields, each technology, a job's title and
	// location, a site's title, topic, actor_title, technology, category and product.
	MaxShortTextChars = 1000
	// MaxLongTextChars bounds description and text.
	MaxLongTextChars = 64 << 10
	// MaxURLChars bounds url and the domain as sent (before normalisation).
	MaxURLChars = 2048
	// MaxListItems bounds the technologies and contacts of a company.
	MaxListItems = 1000
	// MaxEmployees bounds a company's employees.
	MaxEmployees = math.MaxInt32
	// MaxCount bounds an activity's count.
	MaxCount = math.MaxInt32
)
