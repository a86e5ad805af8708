const { LeadpoetClient } = require('@leadpoet/client');

const client = new LeadpoetClient('your_api_key');

// Query leads
const response = await client.queryLeads({
  query: 'Find companies looking for CRM software',
  limit: 25,
  filters: {
    industries: ['technology'],
    companySize: ['51-200']
  }
});

console.log(`Found ${response.leads.length} leads`);
response.leads.forEach(lead => {
  console.log(`${lead.companyName} - ${lead.score}`);
});
