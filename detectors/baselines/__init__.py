"""Reference points a real model must beat: the bigram lookup table and the n-gram language model."""
