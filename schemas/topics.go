package schemas

// Kafka topics of wire contract v1. The record key of every event is the company domain.
const (
	TopicCompanies = "leadpoet.companies.v1"
	TopicJobs      = "leadpoet.signals.jobs.v1"
	TopicSites     = "leadpoet.signals.sites.v1"
	TopicActivity  = "leadpoet.signals.activity.v1"
	TopicTech      = "leadpoet.signals.tech.v1"
	TopicOutcomes  = "leadpoet.outcomes.v1"
	TopicQueries   = "leadpoet.queries.v1"
	TopicDLQ       = "leadpoet.dlq.v1"
)

// IngestTopics are the topics the ingest consumer group reads.
var IngestTopics = []string{TopicCompanies, TopicJobs}

// EventTopics are the topics producers write, each with an event type that Decode
// reads and a JSON Schema.
func EventTopics() []string {
	return []string{TopicCompanies, TopicJobs, TopicSites, TopicActivity, TopicTech, TopicOutcomes}
}

// SignalTopics are the topics of signals: evidence of a company's intent.
func SignalTopics() []string {
	return []string{TopicJobs, TopicSites, TopicActivity, TopicTech}
}

// AllTopics are every topic of the contract, created by `leadpoet dev`.
var AllTopics = []string{
	TopicCompanies, TopicJobs, TopicSites, TopicActivity, TopicTech,
	TopicOutcomes, TopicQueries, TopicDLQ,
}
