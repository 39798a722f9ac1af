/** One record of `bench/data/eu-topics-1000.json` (field names as that corpus saved them). */
export interface Topic {
  id: string;
  title: string;
  description: string | null;
  keywords: string[];
  framework_programme: string | null;
  programme_division: string | null;
  call_identifier: string | null;
  deadline_at: string | null;
  budget_amount_eur: number | null;
  search_text: string;
}
