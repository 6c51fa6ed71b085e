-- 0023 photos on points claims (issue 5: 一事一记, with an optional photo).
--
-- A grid worker (or a villager declaring a good deed) uploads the photo first and names it on the
-- claim. As for case photos, the original (with EXIF) is kept apart for the record and never
-- served; what is shown is a re-encoded JPEG without metadata, plus a small thumbnail for the
-- evaluation group's review list. A photo belongs to one claim only: the unique index on
-- points_claims(photo_id) is what makes "used once" hold under concurrent submissions.
CREATE TABLE points_photos (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  county_id     bigint NOT NULL,
  uploader_id   bigint NOT NULL REFERENCES users(id),
  mime          text NOT NULL,
  bytes         int NOT NULL,
  width         int NOT NULL,
  height        int NOT NULL,
  sha256        text NOT NULL,
  original_path text NOT NULL,
  public_path   text NOT NULL,
  thumb_path    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX points_photos_uploader_idx ON points_photos(uploader_id, id);

ALTER TABLE points_claims ADD COLUMN photo_id bigint REFERENCES points_photos(id);
CREATE UNIQUE INDEX points_claims_photo_uq ON points_claims(photo_id) WHERE photo_id IS NOT NULL;
