-- A phone typed with the letters O for zeros (incident INC-4411).
INSERT INTO people (name, phone) VALUES ('Ravi Textiles', '36OO02');
