#!/usr/bin/env bash
# Builds the sample projects shipped with Marginalia:
#   projects/daily-nk-workers.ron  two Daily NK articles on North Korean workers
#                                  in China, annotated with the default schema
#                                  (claim / figure / source) and attributed_to links
#   projects/custom-schema.ron     the surveillance article with two extra labels
#                                  (date, organisation)
#
# Usage: projects/build-samples.sh   (MARGINALIA=path/to/binary to override)
#
# Quotes are copied byte-exactly from projects/articles/ (curly quotes, en
# dashes). When a quote occurs more than once in its document, --occurrence
# picks the N-th non-overlapping match. Figures are tagged inside their claims
# (nested spans); each claim/figure is linked to the attribution that governs
# its quote or paragraph. Unattributed claims are deliberately left unlinked.
set -euo pipefail
cd "$(dirname "$0")/.."

M=${MARGINALIA:-target/debug/marginalia}
# The articles live beside the projects; each project's `origin` names its
# article relative to the project file (articles/NAME.txt).
SAMPLES=articles
# Fixed creation timestamps so that rebuilt samples are reproducible.
export MARGINALIA_NOW=${MARGINALIA_NOW:-2020-03-15T00:00:00Z}

if ! command -v "$M" >/dev/null 2>&1; then
    echo "build-samples: marginalia binary not found at $M (build it or set MARGINALIA)" >&2
    exit 2
fi

P=  # project being built; set before each section

# new PROJECT [ARGS...]: `marginalia new` run from projects/, so that each
# article's origin is relative to the project file.
new_project() {
    local project=$1 bin
    shift
    bin=$(command -v "$M")
    bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
    (cd projects && "$bin" new "$(basename "$project")" "$@")
}

# tag DOC LABEL QUOTE [--occurrence N] [--note TEXT]  -> prints the new span id
tag() {
    local doc=$1 label=$2 quote=$3 out
    shift 3
    if ! out=$("$M" tag "$P" --doc "$doc" --label "$label" --quote "$quote" "$@"); then
        echo "build-samples: tagging failed in $P (doc $doc, $label): $quote" >&2
        return 1
    fi
    if [[ ! $out =~ ^[0-9]+$ ]]; then
        echo "build-samples: expected a span id from 'tag', got: $out" >&2
        return 1
    fi
    printf '%s\n' "$out"
}

# link FROM_SPAN TO_SPAN  (claim/figure -> source attribution)
link() {
    "$M" link "$P" "$1" "$2" --type attributed_to >/dev/null
}

fresh() {
    rm -f "$1" "$1.bak"
}

# =============================================================================
# Project 1: Daily NK, North Korean workers in China
#   doc 1 = nk-workers-china-quarantine.txt
#   doc 2 = nk-workers-china-surveillance.txt
# =============================================================================
P=projects/daily-nk-workers.ron
fresh "$P"
new_project "$P" --name "Daily NK: North Korean workers in China" \
    "$SAMPLES/nk-workers-china-quarantine.txt" \
    "$SAMPLES/nk-workers-china-surveillance.txt"

# -----------------------------------------------------------------------------
# Document 1: North Korean workers in China still quarantined
# -----------------------------------------------------------------------------
# -- Lead (unattributed framing)
q_c1=$(tag 1 claim  "Chinese factories and businesses are gradually returning to normal operations")
q_c2=$(tag 1 claim  "North Korean laborers in China, however, are not heading back to work")

# -- “Many Chinese factories have opened again…” a China-based source
q_c3=$(tag 1 claim  "Many Chinese factories have opened again")
q_c4=$(tag 1 claim  "North Korean workers in Liaoning and Jilin Province aren’t able to go to work yet")
q_src1=$(tag 1 source "a China-based source told Daily NK on Wednesday" \
    --note "Single anonymous source; unverified.")
q_f1=$(tag 1 figure "Wednesday")
q_c5=$(tag 1 claim  "They’re still under quarantine")
link "$q_c3" "$q_src1"
link "$q_c4" "$q_src1"
link "$q_c5" "$q_src1"

# -- Authorities refusing to let workers return (“reportedly”)
q_c6=$(tag 1 claim  "North Korean authorities are reportedly refusing to let workers go back to work over worries about whether they will be able to receive proper treatment if they become infected with COVID-19" \
    --note "Hedged with “reportedly”; no attribution given for this paragraph.")

# -- Visa status (unattributed background)
q_c7=$(tag 1 claim  "Most of the North Korean laborers currently in China entered the country with technical learning permits or as industrial training exchange students, not work visas" \
    --note "Unattributed background. Context: UN Security Council resolution 2397 (2017) required states to send North Korean workers home by December 2019; non-work visas are a reported way around it.")
q_c8=$(tag 1 claim  "they would be unable to get proper treatment if they become infected with COVID-19")

# -- Who pays for treatment — Daily NK sources
q_c9=$(tag 1 claim  "they would most likely have to pay for it out-of-pocket")
q_c10=$(tag 1 claim  "North Korean trade companies that manage workers in China are technically responsible for medical expenses")
q_c11=$(tag 1 claim  "workers would most likely have to foot the bill")
q_src2=$(tag 1 source "Daily NK sources said")
link "$q_c9" "$q_src2"
link "$q_c10" "$q_src2"
link "$q_c11" "$q_src2"

# -- Past practice (“reportedly”)
q_f2=$(tag 1 figure "In the past")
q_c12=$(tag 1 claim  "In the past, North Korean workers have reportedly returned to North Korea for medical treatment instead of getting treated in China")

# -- Industrial-accident anecdote — one source in China
q_src3=$(tag 1 source "One source in China told Daily NK")
q_c13=$(tag 1 claim  "a North Korean laborer who was hurt in an industrial accident at a Chinese factory last year")
q_f3=$(tag 1 figure "last year")
q_c14=$(tag 1 claim  "The Chinese factory manager refused to pay for the man’s medical expenses because the laborer was not “officially employed.”")
q_c15=$(tag 1 claim  "The man was forced to return to North Korea for medical treatment")
q_src4=$(tag 1 source "the source said" --occurrence 1)
link "$q_c13" "$q_src3"
link "$q_f3" "$q_src3"
link "$q_c14" "$q_src3"
link "$q_c15" "$q_src4"

# -- Border closure (unattributed)
q_c16=$(tag 1 claim  "North Korea has shut down trade and movement across the Sino-North Korean border" \
    --note "Unattributed but checkable against the public record: North Korea closed its border with China in late January 2020.")

# -- “North Korean laborers wouldn’t be able…” the China-based source
q_c17=$(tag 1 claim  "North Korean laborers wouldn’t be able to get treatment nor return to North Korea")
q_src5=$(tag 1 source "the China-based source told Daily NK")
q_c18=$(tag 1 claim  "North Korean officials want to delay their return to the workforce until the coronavirus situation improves some more")
link "$q_c17" "$q_src5"
link "$q_c18" "$q_src5"

# -- Chinese discontent — another China-based source
q_c19=$(tag 1 claim  "Chinese factories and companies, however, have reportedly begun to express discontent over the delay")
q_c20=$(tag 1 claim  "The Chinese factories or restaurant owners are asking for just a few workers to help with cleaning activities")
q_f4=$(tag 1 figure "a few workers")
q_src6=$(tag 1 source "another China-based source said")
q_c21=$(tag 1 claim  "The officials responsible for managing the workers have asked the Chinese managers to wait, saying that none of the North Korean workers can work until the North Korean state has issued an order allowing them to do so")
link "$q_c20" "$q_src6"
link "$q_f4" "$q_src6"
link "$q_c21" "$q_src6"

# -- Workers waiting, no income (unattributed)
q_c22=$(tag 1 claim  "North Korean workers currently quarantined within their factory dormitories are impatiently awaiting the order to return to work")
q_c23=$(tag 1 claim  "They have been unable to earn an income for the past two months")
q_f5=$(tag 1 figure "the past two months" \
    --note "Relative period; resolve against the publication date (it points back to the Lunar New Year shutdown of late January 2020).")
q_c24=$(tag 1 claim  "their stipends for food are so meager that they were reportedly unable to properly feed themselves")

# -- Food stipend — the source
q_c25=$(tag 1 claim  "Restaurants have been giving each worker RMB 10 [USD 1.41] for food per day")
q_f6=$(tag 1 figure "RMB 10")
q_f7=$(tag 1 figure "USD 1.41" \
    --note "Editor’s conversion in brackets, not the source’s words. Exchange rate implied: 1 USD ≈ 7.09 RMB (plausible for early 2020).")
q_f8=$(tag 1 figure "per day")
q_c26=$(tag 1 claim  "it is difficult to eat three meals a day with that amount of money")
q_f9=$(tag 1 figure "three meals a day")
q_src7=$(tag 1 source "the source said" --occurrence 2)
link "$q_c25" "$q_src7"
link "$q_f6" "$q_src7"
link "$q_f8" "$q_src7"
link "$q_c26" "$q_src7"
link "$q_f9" "$q_src7"

# -- Loyalty fund and side jobs (unattributed)
q_c27=$(tag 1 claim  "The workers are still expected to contribute to the regime’s “loyalty fund.”" \
    --note "Unattributed here. Cf. the surveillance article: loyalty fees of about RMB 1,000 a month.")
q_c28=$(tag 1 claim  "Some North Korean officials have secretly found job opportunities for the workers to allow them to earn some money")

# -- Debts — a North Korean in the restaurant industry
q_c29=$(tag 1 claim  "Some workers borrowed anywhere from several hundred to several thousand dollars to work in China")
q_f10=$(tag 1 figure "several hundred to several thousand dollars")
q_src8=$(tag 1 source "a North Korean involved in the restaurant industry in China told Daily NK" \
    --note "Anonymous; described only by role. Works in the industry, so may have a stake in the story.")
q_c30=$(tag 1 claim  "now they’re anxious that they won’t be able to pay off those debts")
link "$q_c29" "$q_src8"
link "$q_f10" "$q_src8"
link "$q_c30" "$q_src8"

# -- Fees and work under the table — continued the source
q_c31=$(tag 1 claim  "They are in debt and will be punished if they don’t pay their fees to the government")
q_c32=$(tag 1 claim  "they’re looking for all this work under the table")
q_src9=$(tag 1 source "continued the source" \
    --note "Same speaker as the restaurant-industry source in the previous paragraph.")
q_c33=$(tag 1 claim  "the authorities will forbid them from working yet expect the fees to be paid")
link "$q_c31" "$q_src9"
link "$q_c32" "$q_src9"
link "$q_c33" "$q_src9"

# -- No directions on quarantine length — sources
q_src10=$(tag 1 source "Sources told Daily NK")
q_c34=$(tag 1 claim  "the officials managing North Korean workers in China have not been given any directions to how long the workers should remain in quarantine")
link "$q_c34" "$q_src10"

# -----------------------------------------------------------------------------
# Document 2: North Korean officials intensify surveillance of workers
# -----------------------------------------------------------------------------
# -- Lead — Daily NK has learned
s_c1=$(tag 2 claim  "North Korean officials overseeing workers in Chinese factories and North Korean restaurants in China are intensifying their surveillance of the workers to prevent a mass defection")
s_src1=$(tag 2 source "Daily NK has learned")
link "$s_c1" "$s_src1"

# -- “…closed since Feb. 24…” a China-based source
s_c2=$(tag 2 claim  "Chinese factories and North Korean restaurants have been closed since Feb. 24 because of the coronavirus")
s_f1=$(tag 2 figure "Feb. 24" \
    --note "Check: hard to square with workers “shut inside for a month” and a hoped-for restart “in early March”. Chinese New Year’s Eve 2020 was Jan. 24, so this may be a translation error.")
s_src2=$(tag 2 source "a China-based source told Daily NK on Sunday" \
    --note "Single anonymous source; unverified.")
s_f2=$(tag 2 figure "Sunday")
link "$s_c2" "$s_src2"
link "$s_f1" "$s_src2"

# -- Factories idle since Chinese New Year (unattributed)
s_c3=$(tag 2 claim  "Many Chinese factories have been unable to operate normally after the Chinese New Year holiday due to the spread of COVID-19")
s_f3=$(tag 2 figure "after the Chinese New Year holiday" \
    --note "Chinese New Year 2020 fell on Jan. 25; the official holiday was extended into February because of the outbreak.")

# -- Workers grumbling — the source continued
s_c4=$(tag 2 claim  "The workers are grumbling, because they’ve been shut inside for a month without work")
s_f4=$(tag 2 figure "for a month")
s_src3=$(tag 2 source "the source continued")
s_c5=$(tag 2 claim  "their managers are anxiously trying to keep them under control")
link "$s_c4" "$s_src3"
link "$s_f4" "$s_src3"
link "$s_c5" "$s_src3"

# -- Surveillance stepped up (unattributed)
s_c6=$(tag 2 claim  "an increasing number of workers voicing their frustration over being confined to their dormitories")
s_c7=$(tag 2 claim  "North Korean authorities have intensified surveillance in fears of a mass defection of North Korean workers – something that occurred in 2016")
s_f5=$(tag 2 figure "2016" --occurrence 1)

# -- Fear of escape, recent order — one source explained
s_c8=$(tag 2 claim  "The authorities are concerned because they’re afraid that the workers will make an escape to South Korea, like they did a few years ago")
s_f6=$(tag 2 figure "a few years ago")
s_src4=$(tag 2 source "one source explained")
s_c9=$(tag 2 claim  "There was a recent order issued to local managers [in China] to be particularly vigilant in their surveillance of the workers")
link "$s_c8" "$s_src4"
link "$s_f6" "$s_src4"
link "$s_c9" "$s_src4"

# -- 2016 Ryugyong defection (unattributed, checkable)
s_c10=$(tag 2 claim  "In 2016, 13 workers at the Ryugyong Restaurant in Zhejiang Province defected to South Korea" \
    --note "Checkable: in April 2016, 12 waitresses and their manager from the Ryugyong restaurant in Ningbo, Zhejiang, arrived in South Korea.")
s_f7=$(tag 2 figure "In 2016")
s_f8=$(tag 2 figure "13 workers")

# -- Factory vs restaurant workers (unattributed)
s_c11=$(tag 2 claim  "Factory workers face considerable obstacles in trying to leave their high-walled factory complexes")
s_c12=$(tag 2 claim  "Workers at restaurants, however, can leave their residences with relative ease")

# -- Restaurant workers trapped — one source said
s_c13=$(tag 2 claim  "restaurant workers would commute daily to work, buy themselves snacks, and walk around")
s_c14=$(tag 2 claim  "now they’re trapped inside their dormitories and are having a hard time")
s_src5=$(tag 2 source "one source said" --occurrence 1)
s_c15=$(tag 2 claim  "there are about 10-20 workers living together in a cramped space")
s_f9=$(tag 2 figure "about 10-20 workers")
link "$s_c13" "$s_src5"
link "$s_c14" "$s_src5"
link "$s_c15" "$s_src5"
link "$s_f9" "$s_src5"

# -- Wages and loyalty fees (unattributed)
s_c16=$(tag 2 claim  "The officials in charge of the North Korean workers dispatched to China are also reportedly fretting over the collection of wages and fees")
s_c17=$(tag 2 claim  "workers in the country have not been able to receive their wages")
s_c18=$(tag 2 claim  "the officials in charge of collecting these wages taking out “loyalty fees” from them to send to the Workers’ Party of Korea (WPK) must continue to send the fees")

# -- Fees demanded regardless — one source said
s_c19=$(tag 2 claim  "The North Korean authorities are demanding that the fees be paid regardless of whether the workers can work or not")
s_src6=$(tag 2 source "one source said" --occurrence 2)
link "$s_c19" "$s_src6"

# -- Loyalty fee amount — Daily NK sources
s_c20=$(tag 2 claim  "The loyalty fees that overseas North Korean workers must pay is reportedly about RMB 1,000 (approximately USD 143) a month")
s_f10=$(tag 2 figure "about RMB 1,000")
s_f11=$(tag 2 figure "approximately USD 143" \
    --note "Editor’s conversion. Exchange rate implied: 1 USD ≈ 6.99 RMB.")
s_f12=$(tag 2 figure "a month" --occurrence 2)
s_src7=$(tag 2 source "Daily NK sources said")
link "$s_c20" "$s_src7"
link "$s_f10" "$s_src7"
link "$s_f12" "$s_src7"

# -- Wages and 50% share — earlier Daily NK reporting
s_src8=$(tag 2 source "Daily NK previously reported" \
    --note "Cites its own earlier reporting; find the original article and its sourcing.")
s_c21=$(tag 2 claim  "overseas North Korean workers at Chinese factories earn an average wage of RMB 2,000–3,000 a month")
s_f13=$(tag 2 figure "RMB 2,000–3,000")
s_f14=$(tag 2 figure "a month" --occurrence 3)
s_c22=$(tag 2 claim  "they must hand over about 50% of their wages to the WPK")
s_f15=$(tag 2 figure "about 50%" \
    --note "50% of RMB 2,000–3,000 is RMB 1,000–1,500, in line with the loyalty fee of about RMB 1,000 a month above.")
link "$s_c21" "$s_src8"
link "$s_f13" "$s_src8"
link "$s_f14" "$s_src8"
link "$s_c22" "$s_src8"
link "$s_f15" "$s_src8"

# -- Managers say better to run away — said a source
s_c23=$(tag 2 claim  "several of the managers have said that it is better to run away than to be punished for being unable to pay the Party")
s_src9=$(tag 2 source "said a source")
link "$s_c23" "$s_src9"

# -- Managers seek other work — sources explained
s_c24=$(tag 2 claim  "Several of these managers have reportedly asked other Chinese companies for work, in an attempt to secure the funds for the loyalty fees")
s_c25=$(tag 2 claim  "COVID-19 has closed down most of the factories in China")
s_src10=$(tag 2 source "sources explained")
link "$s_c24" "$s_src10"
link "$s_c25" "$s_src10"

# -- Reopening forecast — Daily NK sources speculate
s_src11=$(tag 2 source "Daily NK sources did, speculate" \
    --note "Explicitly speculation: a forecast, not a fact.")
s_c26=$(tag 2 claim  "factories with many North Korean workers in Liaoning Province and Jilin Province factories might return to normal operations in early March")
s_f16=$(tag 2 figure "in early March")
link "$s_c26" "$s_src11"
link "$s_f16" "$s_src11"

# -- Reopening and fears — one source said
s_c27=$(tag 2 claim  "the factories might even begin to operate normally at the beginning of this month")
s_f17=$(tag 2 figure "at the beginning of this month" \
    --note "Relative date; resolve against the publication date (compare “in early March” above).")
s_src12=$(tag 2 source "one source said" --occurrence 3)
s_c28=$(tag 2 claim  "The workers in particular say that they’re more afraid of not earning money than of getting infected with the virus")
link "$s_c27" "$s_src12"
link "$s_f17" "$s_src12"
link "$s_c28" "$s_src12"

# -- The source registry: who each source attribution is, assigned by
#    hand. "The source" refers back to the source just introduced; the
#    articles' "one source" and "a source" are not told apart, so each
#    wording is one entry per article; described and anonymous sources are
#    never the same entry across the two articles.
# source_add NAME IDENTIFICATION KIND [ARGS...] -> prints the new entry's id
source_add() {
    local name=$1 ident=$2 kind=$3
    shift 3
    "$M" source "$P" add "$name" --identification "$ident" --kind "$kind" "$@"
}
assign() { "$M" source "$P" assign "$1" "$2" >/dev/null; }
# Article 1 (quarantine).
r=$(source_add "a China-based source (quarantine)" described other)
assign "$q_src1" "$r"; assign "$q_src5" "$r"
r=$(source_add "Daily NK sources (quarantine)" described other)
assign "$q_src2" "$r"
r=$(source_add "a source in China (industrial accident)" described other)
assign "$q_src3" "$r"; assign "$q_src4" "$r"
r=$(source_add "another China-based source (quarantine)" described other)
assign "$q_src6" "$r"; assign "$q_src7" "$r"
r=$(source_add "a North Korean in China's restaurant industry" described participant)
assign "$q_src8" "$r"; assign "$q_src9" "$r"
r=$(source_add "sources (quarantine)" anonymous other)
assign "$q_src10" "$r"
# Article 2 (surveillance).
r=$(source_add "Daily NK" named media --alias "DailyNK")
assign "$s_src1" "$r"; assign "$s_src8" "$r"
r=$(source_add "a China-based source (surveillance)" described other)
assign "$s_src2" "$r"; assign "$s_src3" "$r"
r=$(source_add "one source (surveillance)" anonymous other)
assign "$s_src4" "$r"; assign "$s_src5" "$r"; assign "$s_src6" "$r"; assign "$s_src12" "$r"
r=$(source_add "Daily NK sources (surveillance)" described other)
assign "$s_src7" "$r"; assign "$s_src11" "$r"
r=$(source_add "a source (surveillance)" anonymous other)
assign "$s_src9" "$r"
r=$(source_add "sources (surveillance)" anonymous other)
assign "$s_src10" "$r"

# -- Figures: values, units and whether they are approximate. Span ids are
#    those the script above produced (it is deterministic).
attr() { "$M" attr "$P" "$@"; }
# Claims resting on one anonymous source that nothing else confirms.
for id in "$q_c3" "$q_c4" "$q_c5" "$s_c2"; do
    attr "$id" status unverified
done
attr 37 value 10;    attr 37 unit RMB
attr 38 value 1.41;  attr 38 unit USD
attr 41 value 3;     attr 41 unit meals
attr 46 unit USD;    attr 46 approximate true
attr 69 value 2016;  attr 69 unit year
attr 75 value 2016;  attr 75 unit year
attr 76 value 13;    attr 76 unit workers
attr 29 unit workers; attr 29 approximate true
attr 83 value 15;    attr 83 unit workers; attr 83 approximate true
attr 90 value 1000;  attr 90 unit RMB;     attr 90 approximate true
attr 91 value 143;   attr 91 unit USD;     attr 91 approximate true
attr 96 unit RMB;    attr 96 approximate true
attr 99 value 50;    attr 99 unit percent; attr 99 approximate true

# =============================================================================
# Project 2: custom schema example (surveillance article only, doc 1)
# =============================================================================
P=projects/custom-schema.ron
fresh "$P"
new_project "$P" --name "Custom schema example" \
    "$SAMPLES/nk-workers-china-surveillance.txt"
"$M" label "$P" add date --name "Date" --color "#9b59b6" --key 4
"$M" label "$P" add organisation --name "Organisation" --color "#d9534f" --key 5
# This schema lets dates be attributed to sources too.
"$M" label "$P" rule attributed_to --from claim,figure,date --to source

# -- Lead
k_org1=$(tag 1 organisation "Daily NK" --occurrence 1)
k_src1=$(tag 1 source "Daily NK has learned")

# -- Closure date — a China-based source
k_c1=$(tag 1 claim  "Chinese factories and North Korean restaurants have been closed since Feb. 24 because of the coronavirus")
k_d1=$(tag 1 date   "Feb. 24" \
    --note "Possibly Jan. 24 (Chinese New Year’s Eve 2020); see “for a month”.")
k_src2=$(tag 1 source "a China-based source told Daily NK on Sunday")
k_d2=$(tag 1 date   "Sunday")
link "$k_c1" "$k_src2"
link "$k_d1" "$k_src2"

# -- 2016 defection
k_c2=$(tag 1 claim  "In 2016, 13 workers at the Ryugyong Restaurant in Zhejiang Province defected to South Korea")
k_d3=$(tag 1 date   "In 2016")
k_f1=$(tag 1 figure "13 workers")
k_org2=$(tag 1 organisation "Ryugyong Restaurant")

# -- Loyalty fees
k_org3=$(tag 1 organisation "Workers’ Party of Korea (WPK)")
k_c3=$(tag 1 claim  "The loyalty fees that overseas North Korean workers must pay is reportedly about RMB 1,000 (approximately USD 143) a month")
k_f2=$(tag 1 figure "about RMB 1,000")
k_src3=$(tag 1 source "Daily NK sources said")
link "$k_c3" "$k_src3"
link "$k_f2" "$k_src3"

# -- Reopening forecast
k_d4=$(tag 1 date   "in early March")

r=$(source_add "Daily NK" named media --alias "DailyNK")
assign "$k_src1" "$r"
r=$(source_add "a China-based source" described other)
assign "$k_src2" "$r"
r=$(source_add "Daily NK sources" described other)
assign "$k_src3" "$r"

# The CLI keeps a one-step-old backup on every save; samples don't ship it.
rm -f projects/daily-nk-workers.ron.bak projects/custom-schema.ron.bak
echo "built projects/daily-nk-workers.ron and projects/custom-schema.ron" >&2
