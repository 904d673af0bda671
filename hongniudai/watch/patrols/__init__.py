"""Night patrols (夜间治安联防巡逻) and seasonal campaigns (专项巡查: 秸秆禁烧, 汛期巡查, 疫情防控) with
their daily zero-reports. A part of the watch (`hongniudai.watch`)."""
