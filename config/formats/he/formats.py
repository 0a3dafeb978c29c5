# Hebrew readers group the digits of large numbers by thousands with a comma (10,381,222), as
# Django's Hebrew formats say (THOUSAND_SEPARATOR); they leave NUMBER_GROUPING out, so without
# this Django groups no digits at all, even where a template asks for it (floatformat:"0g").
NUMBER_GROUPING = 3
