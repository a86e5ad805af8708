from leadpoet import LeadpoetClient

client = LeadpoetClient(api_key="your_api_key")

# Query leads
response = client.query_leads(
    query="Find companies looking for CRM software",
    limit=25,
    filters={
        "industries": ["technology"],
        "company_size": ["51-200"]
    }
)

print(f"Found {len(response.leads)} leads")
for lead in response.leads:
    print(f"{lead.company_name} - {lead.score}")
