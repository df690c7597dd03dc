"""Record linkage for Chinese person records, with no Django import.

``names`` normalises names and derives pinyin keys, ``ids`` reads resident ID
numbers (GB 11643) leniently, ``engine`` blocks and scores two record sets
column by column with NumPy.
"""
