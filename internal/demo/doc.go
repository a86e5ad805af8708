// Package demo is the demo data set that `leadpoet dev` produces to Kafka at start: real
// companies, made-up contacts and generated job posts, as wire contract v1 records.
//
// The companies are the 854 public company profiles of the remoteintech/remote-jobs
// project (CC0 1.0, see NOTICE), embedded from companies/ unchanged. ParseProfile reads
// one of them: name, domain, head count, technologies, head office, industry and blurb.
// Profiles that name no domain of their own (only job-board or social links) are left
// out.
//
// Everything else is generated, deterministically from Options.Seed and each company's
// domain:
//
//   - Contacts: 2–4 people per company with names drawn from short lists, buyer titles
//     (CTO, VP Sales, Head of Customer Support, …), e-mail first.last@<domain> and phone
//     numbers in the +1-555-0100–0199 block reserved for fiction. They are not real
//     people.
//   - In-market categories: each company is shopping for one or two of Categories (help
//     desk, CRM, payroll, observability, …). Dataset.InMarket records which.
//   - Job posts: most of a company's posts are about its in-market categories and name
//     their tools and vendors ("Customer Support Team Lead … own our Zendesk help
//     desk"); the rest are ordinary hiring that mentions the company's own stack.
package demo
