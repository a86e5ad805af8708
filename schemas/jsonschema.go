package schemas

import "embed"

//go:embed jsonschema/*.json
var jsonSchemas embed.FS

// JSONSchema returns the JSON Schema (draft 2020-12) of the events on topic, one of
// EventTopics, and false for any other topic. It describes what Decode accepts,
// but for what a schema cannot say: see schemas/README.md.
func JSONSchema(topic string) ([]byte, bool) {
	b, err := jsonSchemas.ReadFile("jsonschema/" + topic + ".json")
	if err != nil {
		return nil, false
	}
	return b, true
}
