"""Header fields from words with boxes: lexicon, positional association, candidates, consistency."""
